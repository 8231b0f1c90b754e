package org.rekap.cli;

import java.nio.file.Path;
import org.rekap.store.SqliteStore;

/** Where an election's files live: {@code rekap.db} (set-up and log) inside the data directory. */
final class DataDir {
    static final String DB = "rekap.db";

    private DataDir() {}

    static SqliteStore open(Path dir) {
        return SqliteStore.open(dir.resolve(DB));
    }
}
