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

    /**
     * Opens a store that holds an election, or says on stderr how to make one and returns null (the caller exits 1).
     * Without --db nothing is created when {@code rekap.db} is missing.
     */
    ElectionStore openElection(Path data, String verb) {
        if (isSqlite() && !java.nio.file.Files.exists(data.resolve(DataDir.DB))) {
            System.err.println("rekap " + verb + ": no election in " + data.toAbsolutePath() + "; give its data directory"
                    + " with --data, or create one with 'rekap import --data " + data + " ...' or try 'rekap demo'");
            return null;
        }
        ElectionStore store = open(data);
        if (store.logSize() == 0 && store.loadSetup().isEmpty()) {
            store.close();
            System.err.println("rekap " + verb + ": no election in " + describe(data) + "; create one with 'rekap import"
                    + " --data " + data + argument() + " ...'");
            return null;
        }
        return store;
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
