package org.rekap.cli;

import org.rekap.store.Stores;

/** Where an election's files live: photos, log.key, admin.token and, without --db, {@code rekap.db} (set-up and log). */
final class DataDir {
    static final String DB = Stores.SQLITE_FILE;

    private DataDir() {}
}
