package org.rekap.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long CLI work: done / total, rate, and time left, redrawn at most every 250 ms on stderr, so
 * that stdout stays clean for output that scripts read.
 */
public final class Progress {
    private final String what;
    private final long total;
    private final PrintStream out;
    private final long start;
    private final boolean tty = System.console() != null;
    private long lastDraw;
    private long lastLine;
    private long done;

    public Progress(String what, long total) {
        this(what, total, System.err);
    }

    public Progress(String what, long total, PrintStream out) {
        this(what, total, out, System.nanoTime());
    }

    /** For work that began at {@code startNanos} ({@link System#nanoTime}), before its line is first shown. */
    public Progress(String what, long total, PrintStream out, long startNanos) {
        this.what = what;
        this.total = total;
        this.out = out;
        this.start = startNanos;
        this.lastLine = System.nanoTime();
    }

    public synchronized void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw > 250_000_000L) {
            lastDraw = now;
            // Without a terminal (CI logs, pipes) a redrawn line would pile up: print one line every 5 s instead.
            if (tty) out.print("\r" + line(now) + "   ");
            else if (now - lastLine > 5_000_000_000L) {
                lastLine = now;
                out.println(line(now));
            }
        }
    }

    public synchronized void finish() {
        long now = System.nanoTime();
        if (tty) out.print("\r");
        out.println(line(now) + " done");
    }

    public synchronized long done() {
        return done;
    }

    private String line(long now) {
        double secs = Math.max(1e-3, (now - start) / 1e9);
        double rate = done / secs;
        StringBuilder sb = new StringBuilder(what).append(": ").append(String.format(Locale.ROOT, "%,d", done));
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, " / %,d (%.0f%%)", total, 100.0 * done / total));
        }
        sb.append(String.format(Locale.ROOT, ", %,.0f/s, %s elapsed", rate, duration(secs)));
        if (total > 0 && done > 0 && done < total) sb.append(", ").append(duration((total - done) / rate)).append(" left");
        return sb.toString();
    }

    static String duration(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1fs", secs);
    }
}
