package org.rekap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time used so far by a process, in nanoseconds: on a shared machine, CPU per sheet is the figure that does not
 * depend on what else runs (wall time does).
 */
final class CpuTime {
    /** Linux's USER_HZ: /proc reports times in these ticks (100 on every common architecture). */
    private static final long TICKS_PER_SECOND = 100;

    private CpuTime() {}

    /** User plus system time of every thread of process {@code pid}, from {@code /proc/<pid>/stat}. */
    static long ofProcess(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** System (kernel) time alone of process {@code pid}, in nanoseconds. */
    static long systemOfProcess(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]) * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** User plus system time in a {@code stat} line of /proc, in nanoseconds. */
    private static long ticks(String stat) {
        // Fields after the command name (which may hold spaces, so it is skipped up to its closing parenthesis):
        // state is field 3, utime field 14, stime field 15.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /**
     * CPU time of a process's live threads, summed by name with digits dropped (so the carriers of virtual threads,
     * {@code ForkJoinPool-1-worker-1} and {@code -2}, count as one), from {@code /proc/<pid>/task/<tid>/stat}.
     */
    static Map<String, Long> byThread(long pid) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    out.merge(name, ticks(stat), Long::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return out;
    }

    /** What each thread group used between two {@link #byThread} readings, largest first, as "name 1.2 s" parts. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() >= 100_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }

    /** This JVM's CPU time (every thread, the JIT and the collector included). */
    static long ofThisProcess() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
