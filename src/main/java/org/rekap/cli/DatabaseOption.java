package org.rekap.cli;

import java.nio.file.Path;
import org.rekap.store.ElectionStore;
import org.rekap.store.Stores;
import picocli.CommandLine.Option;

/**
 * {@code --db}: where an election's set-up and log live, for every command that opens them. Without it, the SQLite
 * file {@code rekap.db} in the data directory; the data directory keeps the photos, log.key and admin.token either way.
 */
final class DatabaseOption {
    @Option(names = "--db", paramLabel = "URL", description = {
        "PostgreSQL database instead of <data>/rekap.db, e.g. postgresql://rekap@db.internal:5432/pemilu"
            + "?currentSchema=pemilu2024 (one schema per election; password from PGPASSWORD)"})
    String url;

    boolean isSqlite() {
        return url == null || url.isBlank();
    }

    /** @throws IllegalArgumentException or {@link org.rekap.store.StoreException} with a message for the user */
    ElectionStore open(Path data) {
        return Stores.open(url, data);
    }

    /** The SQLite file or the URL (never a password), for messages. */
    String describe(Path data) {
        return Stores.describe(url, data);
    }

    /** The option as the user would repeat it in a suggested command line, or nothing for SQLite. */
    String argument() {
        return isSqlite() ? "" : " --db '" + describe(Path.of(".")) + "'";
    }
}
