package org.rekap.verify;

/**
 * How a long verification reports progress: one phase at a time (entries, tiles, documents, downloads), each with its
 * total when known (0 when not) and the work done so far. Warnings are things the user should know that are not
 * findings (e.g. that the key is trusted on first use). Called from the verifying thread only.
 */
public interface ProgressListener {
    /** A phase begins: {@code what} (e.g. "entries fetched and replayed"), {@code total} units (0: unknown). */
    void begin(String what, long total);

    /**
     * A phase begins that has been running since {@code startedNanos} ({@link System#nanoTime}) beside the phases
     * shown before it: its rate and elapsed time count from then.
     */
    default void begin(String what, long total, long startedNanos) {
        begin(what, total);
    }

    /** {@code n} more units of the current phase are done. */
    void advance(long n);

    /** The current phase is over. */
    void end();

    /** Something the user should read now (not a finding). */
    default void warn(String message) {}

    /** Shows nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void begin(String what, long total) {}

        @Override
        public void advance(long n) {}

        @Override
        public void end() {}
    };
}
