package org.rekap.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.NoteSigner;
import org.rekap.ledger.NoteVerifier;
import org.rekap.ledger.Role;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.region.RegionTree;
import org.rekap.simulate.OfficerSimulator;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.EnrolmentCode;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;
import org.rekap.verify.ProgressListener;
import org.rekap.verify.Report;
import org.rekap.verify.Source;
import org.rekap.verify.Verifier;

/**
 * The crash-safety harness (issue 7): kills {@code rekap serve} with SIGKILL at random moments while officers submit
 * sheets as fast as they can, restarts it, and checks after every restart that every acknowledged sheet is in the log
 * byte for byte, that the published tallies equal the harness's own recount of the log, and that the new checkpoint
 * extends every checkpoint seen before (in any trial). After each restart the phones retry what got no answer, and a
 * sample of already acknowledged sheets is sent again: each must be answered with its first receipt, never become a
 * second entry. At the end, {@code rekap verify}'s verifier checks the whole site once more.
 *
 * <p>Runs from {@code bench/crash.sh} (see {@link CrashMain}) and, shortened, from {@code CrashSafetyTest}.
 */
public final class CrashHarness {
    /**
     * @param scale the synthetic election (its set-up is imported as {@code rekap import} would)
     * @param tps how many TPS get an officer's phone (each submits every contest of its TPS); 0 = all
     * @param minDelay the earliest moment of a kill, counted from the start of the load
     * @param maxDelay the latest
     * @param minAcks when above 0, the kill also comes once a random number of sheets between this and
     *     {@code maxAcks} are acknowledged, if that is earlier (without a delay, only then): a moment that depends on
     *     progress, not on the machine's speed, and that bounds how many sheets a trial uses
     * @param latePhones phones that enrol during the trials (two at a time, alongside the sheets) instead of before
     * @param replays already acknowledged sheets sent again after each restart
     * @param verifyEachTrial also run the full verifier after every restart, not only at the end
     */
    public record Options(int trials, long seed, Scale scale, int tps, int concurrency, Duration minDelay, Duration maxDelay,
            int minAcks, int maxAcks, int latePhones, int replays, boolean verifyEachTrial, Duration publishInterval, Path workDir) {}

    /** One trial's figures: the load before the kill, and what the restarted server showed. */
    public record Trial(int number, Duration loadTime, long acked, long unanswered, int inFlightAtKill, int exitCode,
            Duration restartTime, long logSize, long retriedFound, long retriedNew, long enrolled, long enrolRetried,
            long replays, int checkpointsSeen,
            int checkpointsCompared, int documentsCompared, List<String> problems) {
        String line(int of) {
            return String.format(Locale.ROOT, "trial %2d/%d: killed after %5.2f s (exit %d) with %,d acknowledged, %d in flight;"
                    + " restart %4.1f s, log %,d entries; %d unanswered retried (%d already in the log, %d new),"
                    + " %d phones enrolled (%d after a retry), %d replays; %d checkpoints seen, %d compared,"
                    + " %d documents recounted: %s",
                    number, of, loadTime.toMillis() / 1000.0, exitCode, acked, inFlightAtKill, restartTime.toMillis() / 1000.0,
                    logSize, unanswered, retriedFound, retriedNew, enrolled, enrolRetried, replays, checkpointsSeen,
                    checkpointsCompared,
                    documentsCompared, problems.isEmpty() ? "ok" : problems.size() + " PROBLEMS");
        }
    }

    /** The run's result. {@link #ok()} is what the test and the script's exit status go by. */
    public record Summary(int trials, long acknowledged, long retriedFound, long retriedNew, long lateEnrolled,
            long enrolmentsRetried, long replays, long finalLogSize,
            int checkpointsSeen, long lost, long badEntries, long recountMismatches, long inconsistentCheckpoints,
            long unexpectedAnswers, long notKilled, boolean verified, Duration took, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "trials: %d, acknowledged sheets: %,d (%,d of them answered only after a"
                    + " restart: %,d were already in the log, %,d new), replays answered with their first receipt: %,d,"
                    + " phones enrolled during the trials: %,d (%,d answered only after a restart), final log: %,d entries,"
                    + " checkpoints seen: %,d", trials, acknowledged, retriedFound + retriedNew, retriedFound, retriedNew,
                    replays, lateEnrolled, enrolmentsRetried, finalLogSize, checkpointsSeen));
            out.add(String.format(Locale.ROOT, "lost: %d, bad entries: %d, recount mismatches: %d, inconsistent checkpoints: %d,"
                    + " unexpected answers: %d, kills not ending in SIGKILL: %d, rekap verify: %s, time: %.0f s",
                    lost, badEntries, recountMismatches, inconsistentCheckpoints, unexpectedAnswers, notKilled,
                    verified ? "ok" : "FAILED", took.toMillis() / 1000.0));
            return out;
        }
    }

    private static final String ORIGIN = "rekap.test/crash";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Options options;
    private final PrintStream out;
    private final Random random;
    private final SyntheticElection election;
    private final Path data;
    private NoteSigner signer;
    private final Map<String, SimOfficer> officers = new LinkedHashMap<>();
    private final Deque<Submission> queue = new ConcurrentLinkedDeque<>();
    /** Phones that enrol during the trials, and the sheets each will submit once enrolled. */
    private final Deque<SimOfficer> latePhones = new ConcurrentLinkedDeque<>();
    private final Map<String, List<Submission>> lateSheets = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every acknowledged enrolment: device id to log position. */
    private final Map<String, Long> enrolments = new LinkedHashMap<>();
    /** Every acknowledged sheet, by submission id: the first receipt is the one the log must keep. */
    private final Map<String, Load.Ack> acks = new LinkedHashMap<>();
    private final List<CheckpointWatch.Seen> checkpoints = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private long lost, badEntries, recountMismatches, inconsistent, unexpected, notKilled, retriedFound, retriedNew, replayed,
            lateEnrolled, enrolmentsRetried;

    public CrashHarness(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
        this.election = SyntheticElection.of(options.scale(), options.seed());
        this.data = options.workDir().resolve("data");
    }

    public Summary run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        prepare();
        ServerProcess server = ServerProcess.start(data, options.workDir().resolve("server-0"), options.publishInterval(),
                START_TIMEOUT);
        out.printf(Locale.ROOT, "server pid %d at %s (started in %.1f s)%n", server.pid(), server.publicBase(),
                server.startTime().toMillis() / 1000.0);
        enrol(server);
        boolean verified = false;
        try {
            for (int trial = 1; trial <= options.trials(); trial++) {
                if (queue.isEmpty()) {
                    problem(trial, "no sheets left to submit: use more TPS (--tps) or fewer trials");
                    break;
                }
                int before = problems.size();
                Crash crash = crash(server, trial);
                server = ServerProcess.start(data, options.workDir().resolve("server-" + trial), options.publishInterval(),
                        START_TIMEOUT);
                Trial t = afterRestart(server, trial, crash, before);
                out.println(t.line(options.trials()));
                t.problems().stream().limit(20).forEach(p -> out.println("    " + p));
                if (options.verifyEachTrial()) verified = verify(server, trial);
            }
            // The last restart's retries and replays went in after its audit: audit once more, then the verifier.
            awaitPublished(server);
            LogAudit.Result last = audit(server, options.trials() + 1, Set.of());
            if (!options.verifyEachTrial() || options.trials() == 0) verified = verify(server, options.trials() + 1);
            return new Summary(options.trials(), acks.size(), retriedFound, retriedNew, lateEnrolled, enrolmentsRetried, replayed,
                    last.entries(), checkpoints.size(), lost, badEntries, recountMismatches, inconsistent, unexpected,
                    notKilled, verified, Duration.ofNanos(System.nanoTime() - t0), List.copyOf(problems));
        } finally {
            server.stop();
        }
    }

    /** What one kill left: the acknowledged sheets of the trial and the submissions that got no answer. */
    private record Crash(Duration loadTime, List<Load.Ack> acks, List<Submission> unanswered,
            List<SimOfficer> unansweredEnrolments, int enrolled, int inFlight, int exitCode, int checkpointsSeen) {}

    /** A late phone is enrolled: its sheets join the queue. */
    private void enrolled(SimOfficer phone) {
        List<Submission> sheets = lateSheets.remove(phone.device());
        if (sheets != null) queue.addAll(sheets);
    }

    /** Imports the election, issues one officer code per chosen TPS, writes the log's key: as the CLI would. */
    private void prepare() throws IOException {
        Files.createDirectories(data);
        RegionTree tree = election.tree();
        List<Integer> tpsList = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++) tpsList.add(t);
        Collections.shuffle(tpsList, random);
        int count = options.tps() <= 0 ? tpsList.size() : Math.min(options.tps(), tpsList.size());
        List<EnrolmentCode> codes = new ArrayList<>();
        List<Submission> jobs = new ArrayList<>();
        int late = Math.min(options.latePhones(), count / 2);
        for (int i = 0; i < count; i++) {
            int t = tpsList.get(i);
            String code = EnrolmentCodes.generate();
            codes.add(new EnrolmentCode(EnrolmentCodes.hash(code), Role.OFFICER, tree.code(t), Instant.now().plus(Duration.ofDays(2))));
            SimOfficer officer = SimOfficer.of(tree.code(t), code, options.seed());
            List<Submission> mine = new ArrayList<>();
            for (Contest c : election.election().contestsAt(t))
                mine.add(Submission.of("crash-" + options.seed() + "-" + tree.code(t) + "-" + c.id(), election.sheet(t, c), officer));
            if (i < count - late) {
                officers.put(tree.code(t), officer);
                jobs.addAll(mine);
            } else {
                latePhones.add(officer);
                lateSheets.put(officer.device(), mine);
            }
        }
        Collections.shuffle(jobs, random);
        queue.addAll(jobs);
        SqliteStore store = SqliteStore.open(data.resolve("rekap.db"));
        try {
            var s = election.setup();
            store.saveSetup(new Setup(s.name(), s.rootName(), election.regions(), s.contests()));
            store.issueCodes(codes);
        } finally {
            store.close();
        }
        signer = NoteSigner.generate(ORIGIN, new SecureRandom());
        Files.writeString(data.resolve("log.key"), signer.privateKey() + "\n", StandardCharsets.UTF_8);
        out.printf(Locale.ROOT, "%s election (seed %d): %,d TPS with a phone (%,d of them enrolling during the trials),"
                + " %,d sheets to submit; data in %s%n", options.scale().name().toLowerCase(Locale.ROOT), options.seed(),
                count, late, jobs.size() + lateSheets.values().stream().mapToInt(List::size).sum(), data);
    }

    private void enrol(ServerProcess server) throws InterruptedException {
        long t0 = System.nanoTime();
        OfficerSimulator.Result r = new OfficerSimulator(server.officerBase(), options.concurrency(), 0)
                .enrol(officers.values(), n -> {});
        if (r.accepted() != officers.size())
            throw new IllegalStateException("only " + r.accepted() + " of " + officers.size() + " phones enrolled ("
                    + r.refused() + " refused, " + r.failed() + " failed)");
        out.printf(Locale.ROOT, "enrolled %,d phones in %.1f s%n", officers.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Loads the server with every officer at once, and kills it with SIGKILL at a random moment. */
    private Crash crash(ServerProcess server, int trial) throws InterruptedException {
        HttpClient http = Load.client();
        CheckpointWatch watch = new CheckpointWatch(http, server.publicBase(), signer.verifier(), ORIGIN, trial);
        Load load = new Load(http, server.officerBase(), queue);
        LateEnrolment enrolling = new LateEnrolment(http, server.officerBase(), latePhones, this::enrolled);
        long min = options.minDelay().toMillis(), max = Math.max(min, options.maxDelay().toMillis());
        long delay = min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0);
        long t0 = System.nanoTime();
        watch.start(Duration.ofMillis(25));
        load.start(options.concurrency());
        enrolling.start(2);
        if (options.minAcks() > 0) {
            // Whichever comes first: the random count of acknowledged sheets, or the random delay (when one is set).
            int target = options.minAcks() + random.nextInt(Math.max(1, options.maxAcks() - options.minAcks() + 1));
            long deadline = System.nanoTime() + (max > 0 ? Duration.ofMillis(delay) : Duration.ofMinutes(1)).toNanos();
            while (load.acked() < target && (load.hasWork() || load.inFlight() > 0) && System.nanoTime() < deadline)
                Thread.sleep(1); // polling a condition, bounded by the deadline
        } else {
            Thread.sleep(delay); // the random moment of the crash: a deliberate wait, not a stand-in for synchronisation
        }
        int inFlight = load.inFlight();
        boolean busy = inFlight > 0 || load.hasWork();
        int exit = server.kill();
        Duration loadTime = Duration.ofNanos(System.nanoTime() - t0);
        load.stop();
        enrolling.stop();
        List<CheckpointWatch.Seen> seen = watch.stop();
        for (LateEnrolment.Enrolled e : enrolling.enrolled) enrolments.put(e.officer().device(), e.seq());
        for (String u : enrolling.unexpected) {
            unexpected++;
            problem(trial, "unexpected answer: " + u);
        }
        checkpoints.addAll(seen);
        watch.badNotes.forEach(b -> problem(trial, "a checkpoint served while running does not verify: " + b));
        if (exit != ServerProcess.KILLED) {
            notKilled++;
            problem(trial, "the server exited with " + exit + ", not 137: it was not killed by SIGKILL");
        }
        if (!busy) problem(trial, "the load had finished before the kill: nothing was in flight");
        for (String u : load.unexpected) {
            unexpected++;
            problem(trial, "unexpected answer: " + u);
        }
        List<Load.Ack> trialAcks = new ArrayList<>(load.acks);
        for (Load.Ack a : trialAcks) acks.putIfAbsent(a.submission().id(), a);
        return new Crash(loadTime, trialAcks, new ArrayList<>(load.unanswered), new ArrayList<>(enrolling.unanswered),
                enrolling.enrolled.size(), inFlight, exit, seen.size());
    }

    /** Audits the restarted server, then lets the phones retry and replays a sample of acknowledged sheets. */
    private Trial afterRestart(ServerProcess server, int trial, Crash crash, int before) throws IOException, InterruptedException {
        Set<String> regions = new LinkedHashSet<>();
        RegionTree tree = election.tree();
        for (int i = 0; i < 2 && !crash.acks().isEmpty(); i++) {
            Load.Ack a = crash.acks().get(random.nextInt(crash.acks().size()));
            for (int p = tree.parent(tree.index(a.submission().sheet().tps())); p > RegionTree.ROOT; p = tree.parent(p))
                regions.add(tree.code(p));
        }
        LogAudit.Result audit = audit(server, trial, regions);
        long sizeAtRestart = audit.entries();

        HttpClient http = Load.client();
        // A phone whose enrolment got no answer sends it again, same code and key: it must be enrolled, not refused.
        java.net.URI enrolEndpoint = server.officerBase().resolve("api/officer/v1/enrol");
        for (SimOfficer phone : crash.unansweredEnrolments()) {
            Load.Answer a = LateEnrolment.send(http, enrolEndpoint, phone);
            long seq = LateEnrolment.seq(phone, a);
            if (seq < 0) {
                unexpected++;
                problem(trial, "the retried enrolment of " + phone.device() + " after the restart was answered HTTP "
                        + a.status() + " " + a.body());
                continue;
            }
            enrolments.put(phone.device(), seq);
            enrolled(phone);
        }
        lateEnrolled += crash.enrolled() + crash.unansweredEnrolments().size();
        enrolmentsRetried += crash.unansweredEnrolments().size();
        java.net.URI endpoint = server.officerBase().resolve("api/officer/v1/sheets");
        long found = 0, fresh = 0;
        for (Submission s : crash.unanswered()) {
            Load.Answer a = Load.send(http, endpoint, s);
            Load.Ack ack = Load.receipt(s, a);
            if (ack == null) {
                unexpected++;
                problem(trial, "the retry of " + s.id() + " after the restart was answered HTTP " + a.status() + " " + a.body());
                continue;
            }
            Load.Ack earlier = acks.putIfAbsent(s.id(), ack);
            if (earlier != null && earlier.seq() != ack.seq()) {
                lost++;
                problem(trial, s.id() + " was acknowledged at entry " + earlier.seq() + ", its retry at " + ack.seq());
            }
            if (ack.seq() < sizeAtRestart) found++;
            else fresh++;
        }
        retriedFound += found;
        retriedNew += fresh;

        List<Load.Ack> sample = new ArrayList<>(acks.values());
        Collections.shuffle(sample, random);
        long replays = 0;
        for (Load.Ack first : sample.subList(0, Math.min(options.replays(), sample.size()))) {
            Load.Answer a = Load.send(http, endpoint, first.submission());
            Load.Ack again = Load.receipt(first.submission(), a);
            replays++;
            if (again == null) {
                unexpected++;
                problem(trial, "the replay of " + first.submission().id() + " was answered HTTP " + a.status() + " " + a.body());
            } else if (again.seq() != first.seq() || !again.receivedAt().equals(first.receivedAt())) {
                lost++;
                problem(trial, "the replay of " + first.submission().id() + " (entry " + first.seq() + ") was answered as entry "
                        + again.seq() + " received at " + again.receivedAt() + ": a second entry, not the first receipt");
            }
        }
        replayed += replays;
        List<String> mine = new ArrayList<>(problems.subList(before, problems.size()));
        return new Trial(trial, crash.loadTime(), crash.acks().size(), crash.unanswered().size(), crash.inFlight(),
                crash.exitCode(), server.startTime(), sizeAtRestart, found, fresh,
                crash.enrolled() + crash.unansweredEnrolments().size(), crash.unansweredEnrolments().size(), replays,
                crash.checkpointsSeen(),
                audit.checkpointsCompared(), audit.documentsCompared(), mine);
    }

    /** Runs the audit, counts what it found, and remembers the restarted server's checkpoint as one more to keep. */
    private LogAudit.Result audit(ServerProcess server, int trial, Set<String> regions) throws IOException, InterruptedException {
        NoteVerifier verifier = signer.verifier();
        LogAudit.Result r = new LogAudit(Load.client(), server.publicBase(), verifier, ORIGIN, election.election())
                .audit(acks.values(), enrolments, checkpoints, regions);
        lost += r.lost().size();
        badEntries += r.badEntries().size();
        recountMismatches += r.recountMismatches().size();
        inconsistent += r.inconsistent().size();
        r.problems().forEach(p -> problem(trial, p));
        if (r.checkpoint() != null) checkpoints.add(new CheckpointWatch.Seen(trial, r.checkpoint(), new byte[0]));
        return r;
    }

    /** Waits (at most a minute) until the published checkpoint covers every acknowledged sheet. */
    private void awaitPublished(ServerProcess server) throws InterruptedException {
        long needed = acks.values().stream().mapToLong(a -> a.seq() + 1).max().orElse(0);
        CheckpointWatch probe = new CheckpointWatch(Load.client(), server.publicBase(), signer.verifier(), ORIGIN, 0);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        var last = probe.fetch(null);
        while ((last == null || last.size() < needed) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = probe.fetch(last);
        }
    }

    /** {@code rekap verify} against the restarted server, remembering its checkpoint between runs in the work dir. */
    private boolean verify(ServerProcess server, int trial) {
        try {
            Report report = new Verifier(Source.open(server.publicBase().toString()), new Verifier.Options(
                    signer.verifier().verifierKey(), options.workDir().resolve("verify-state.json"), false, true),
                    ProgressListener.NONE).run();
            if (!report.ok()) {
                problem(trial, "rekap verify: " + report.summary());
                report.lines(10).forEach(l -> problem(trial, "rekap verify: " + l));
            }
            return report.ok();
        } catch (Exception e) {
            problem(trial, "rekap verify could not run: " + e);
            return false;
        }
    }

    private void problem(int trial, String what) {
        problems.add("trial " + trial + ": " + what);
    }
}
