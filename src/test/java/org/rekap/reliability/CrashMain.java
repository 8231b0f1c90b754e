package org.rekap.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rekap.generate.Scale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/crash.sh}: the crash-safety harness from the command line. */
@Command(name = "crash.sh", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Kills 'rekap serve' with SIGKILL at random moments during heavy submission, restarts it, and",
            "checks after each restart: every acknowledged sheet is in the log, the published tallies equal a recount",
            "of the log, and the new checkpoint is consistent with every earlier one. Exits 1 if any check fails."},
        footer = {"", "Examples:",
            "  bench/crash.sh                                   25 trials on the province election (10 to 15 minutes)",
            "  bench/crash.sh --trials 5 --tps 2000 --seed 7    a shorter run with another seed",
            "  bench/crash.sh --verify-each-trial --keep        rekap verify after every restart; keep the work directory"})
public final class CrashMain implements Callable<Integer> {
    @Option(names = "--trials", defaultValue = "25", description = "crashes to cause (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the election, the order of sheets and the kill moments (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--scale", defaultValue = "province", description = "small or province (default: ${DEFAULT-VALUE})")
    String scale;

    @Option(names = "--tps", defaultValue = "0", description = "TPS whose officers submit, 3 sheets each on the province; 0 = every TPS (default: ${DEFAULT-VALUE})")
    int tps;

    @Option(names = "--concurrency", defaultValue = "64", description = "officers submitting at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--min-delay", defaultValue = "500", description = "earliest kill, ms after the load starts (default: ${DEFAULT-VALUE})")
    long minDelay;

    @Option(names = "--max-delay", defaultValue = "4000", description = "latest kill, ms after the load starts (default: ${DEFAULT-VALUE})")
    long maxDelay;

    @Option(names = "--min-acks", defaultValue = "100", description = "or kill once between --min-acks and --max-acks sheets are"
            + " acknowledged, if earlier; 0 = by time only (default: ${DEFAULT-VALUE})")
    int minAcks;

    @Option(names = "--max-acks", defaultValue = "2000", description = "(default: ${DEFAULT-VALUE}; bounds the sheets a trial uses:"
            + " the province has 60,000)")
    int maxAcks;

    @Option(names = "--late-phones", defaultValue = "2000", description = "phones that enrol during the trials, alongside the sheets (default: ${DEFAULT-VALUE})")
    int latePhones;

    @Option(names = "--replays", defaultValue = "100", description = "acknowledged sheets sent again after each restart (default: ${DEFAULT-VALUE})")
    int replays;

    @Option(names = "--verify-each-trial", description = "run rekap verify's checks after every restart, not only at the end")
    boolean verifyEachTrial;

    @Option(names = "--dir", description = "work directory (kept); default: a temporary one, removed at the end")
    Path dir;

    @Option(names = "--keep", description = "keep the temporary work directory (server logs, database)")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        Scale s;
        try {
            s = Scale.parse(scale);
        } catch (IllegalArgumentException e) {
            System.err.println("crash.sh: " + e.getMessage());
            return 2;
        }
        if (s == Scale.NATIONAL) {
            System.err.println("crash.sh: --scale national takes minutes per restart; use small or province");
            return 2;
        }
        if (trials < 1 || concurrency < 1 || minDelay < 0 || maxDelay < minDelay || replays < 0 || tps < 0 || latePhones < 0 || minAcks < 0 || maxAcks < minAcks) {
            System.err.println("crash.sh: --trials and --concurrency must be at least 1, 0 <= --min-delay <= --max-delay,"
                    + " 0 <= --min-acks <= --max-acks, and --replays, --tps and --late-phones not negative");
            return 2;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("rekap-crash-");
        if (Files.exists(work.resolve("data"))) {
            System.err.println("crash.sh: " + work.resolve("data") + " already exists; give an empty --dir");
            return 2;
        }
        CrashHarness.Options options = new CrashHarness.Options(trials, seed, s, tps, concurrency, Duration.ofMillis(minDelay),
                Duration.ofMillis(maxDelay), minAcks, maxAcks, latePhones, replays, verifyEachTrial, Duration.ofMillis(100), work);
        CrashHarness.Summary summary;
        try {
            summary = new CrashHarness(options, System.out).run();
        } finally {
            if (dir == null && !keep) delete(work);
            else System.out.println("work directory kept: " + work);
        }
        System.out.println();
        summary.lines().forEach(System.out::println);
        if (!summary.ok()) {
            System.out.println(summary.problems().size() + " problems:");
            summary.problems().stream().limit(50).forEach(p -> System.out.println("  " + p));
        }
        System.out.println(String.format(Locale.ROOT, "%s, %d cores, %s, Java %s",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)) + "Z",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.runtime.version")));
        return summary.ok() ? 0 : 1;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrashMain()).execute(args));
    }
}
