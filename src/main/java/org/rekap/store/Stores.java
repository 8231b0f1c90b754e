package org.rekap.store;

import java.nio.file.Path;

/** Opens the store an election is configured with: a PostgreSQL URL, or by default the SQLite file in its data directory. */
public final class Stores {
    /** The SQLite file inside the data directory, used when no database URL is given. */
    public static final String SQLITE_FILE = "rekap.db";

    private Stores() {}

    /**
     * @param db a PostgreSQL URL ({@code postgresql://user@host:5432/dbname[?currentSchema=s]}), or null or blank
     *     for SQLite in {@code dataDir}
     * @throws IllegalArgumentException when {@code db} is not a usable PostgreSQL URL
     * @throws StoreException when the store cannot be opened (the message says why and what to do)
     */
    public static ElectionStore open(String db, Path dataDir) {
        if (db == null || db.isBlank()) return SqliteStore.open(dataDir.resolve(SQLITE_FILE));
        return PostgresStore.open(PostgresUrl.parse(db.strip(), System.getenv("PGPASSWORD")));
    }

    /** Where {@link #open} keeps the election, for messages: the SQLite file, or the URL without its password. */
    public static String describe(String db, Path dataDir) {
        if (db == null || db.isBlank()) return dataDir.resolve(SQLITE_FILE).toAbsolutePath().toString();
        return PostgresUrl.parse(db.strip(), null).toString();
    }
}
