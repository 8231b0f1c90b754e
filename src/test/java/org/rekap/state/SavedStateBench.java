package org.rekap.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.rekap.store.ElectionStore;
import org.rekap.store.PostgresStore;
import org.rekap.store.PostgresUrl;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;

/**
 * Where a start from saved state spends its time (bench/saved-state.sh): reading the saved bytes out of the store,
 * parsing them, and each part's size when written again. Prints seconds (wall and this thread's CPU) per step.
 *
 * <p>Usage: {@code SavedStateBench (--dir DIR | --db URL)} on a data set with saved state (bench/restart.sh leaves one).
 */
public final class SavedStateBench {
    public static void main(String[] args) throws Exception {
        String db = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("options: --dir DIR | --db URL");
            }
        }
        try (ElectionStore store = db == null ? SqliteStore.open(dir.resolve("rekap.db")) : PostgresStore.open(PostgresUrl.parse(db, null))) {
            Setup setup = store.loadSetup().orElseThrow();
            byte[] fingerprint = SavedState.fingerprint(setup.name(), setup.election());
            for (int run = 1; run <= 2; run++) {
                Clock c = new Clock();
                byte[] bytes = store.readState(new ElectionStore.StateReader<byte[]>() {
                    @Override
                    public byte[] read(InputStream in) throws IOException {
                        return in.readAllBytes();
                    }

                    @Override
                    public byte[] unreadable(IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).orElseThrow(() -> new IllegalStateException("no saved state"));
                c.lap("read " + bytes.length / (1 << 20) + " MiB from the store");
                SavedState.Loaded loaded = SavedState.read(new ByteArrayInputStream(bytes), setup.election(), fingerprint);
                c.lap("parse");
                parts(bytes, setup.election(), c);
                Restore.Result r = Restore.run(store, setup.election(), fingerprint);
                c.lap("Restore.run (read, parse, check the root, replay the tail)" + (r.ignored() == null ? "" : ": " + r.ignored()));
                if (run == 2) {
                    sizes(loaded, c);
                    bytes = null;
                    loaded = null;
                    store.saveState(out -> SavedState.write(out, fingerprint, r.tally(), r.intake(), r.hashes(), r.tree()));
                    c.lap("save into the store");
                }
            }
        }
    }

    /** The parse again, part by part (the header is skipped: magic, version, fingerprint, size and root). */
    private static void parts(byte[] bytes, org.rekap.contest.Election election, Clock c) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(bytes, 80, bytes.length - 80));
        new org.rekap.ledger.InMemoryHashStore().readFrom(in);
        c.lap("  of which: hashes");
        org.rekap.tally.Tally tally = new org.rekap.tally.Tally(election);
        c.lap("  of which: an empty tally");
        tally.readState(in);
        c.lap("  of which: the tally's state");
        new org.rekap.officer.Intake(tally).readState(in);
        c.lap("  of which: the intake's state");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        c.lap("  of which: the checksum");
    }

    private static void sizes(SavedState.Loaded l, Clock c) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        l.hashes().writeTo(out);
        long hashes = b.size();
        l.tally().writeState(out);
        long tally = b.size() - hashes;
        l.intake().writeState(out);
        long intake = b.size() - hashes - tally;
        c.lap(String.format("written to memory: hashes %d MiB, tally %d MiB, intake %d MiB", hashes >> 20, tally >> 20,
                intake >> 20));
    }

    private static final class Clock {
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        private long wall = System.nanoTime(), cpu = threads.getCurrentThreadCpuTime();

        void lap(String what) {
            long w = System.nanoTime(), u = threads.getCurrentThreadCpuTime();
            System.out.printf("%-90s %6.2f s wall %6.2f s cpu%n", what, (w - wall) / 1e9, (u - cpu) / 1e9);
            wall = w;
            cpu = u;
        }
    }
}
