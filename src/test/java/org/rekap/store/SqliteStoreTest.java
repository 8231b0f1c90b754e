package org.rekap.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded store: a real SQLite file in a temporary directory. */
class SqliteStoreTest extends ElectionStoreContract {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("data").resolve("rekap.db");
    }

    @Override
    ElectionStore open() {
        return SqliteStore.open(db());
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
    }
}
