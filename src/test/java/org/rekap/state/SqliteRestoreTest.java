package org.rekap.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.store.ElectionStore;
import org.rekap.store.SqliteStore;

class SqliteRestoreTest extends RestoreContract {
    @TempDir
    Path dir;
    private int opened;

    @Override
    ElectionStore freshStore() {
        return SqliteStore.open(dir.resolve("store-" + opened++ + ".db"));
    }
}
