package org.rekap.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.InputError;
import org.rekap.codec.InvalidInputException;
import org.rekap.codec.Json;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.Entry;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteException;
import org.rekap.ledger.NoteVerifier;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.DeviceRevoked;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.ledger.SignedNote;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.officer.Decision;
import org.rekap.officer.Device;
import org.rekap.officer.Intake;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.sheet.FieldError;
import org.rekap.store.Setup;
import org.rekap.tally.Tally;
import org.rekap.verify.Finding.Check;

/**
 * Verifies a Rekap site from its public files alone. In order:
 *
 * <ol>
 *   <li>the verifier key (given, remembered from an earlier run, or, on first use, the one the site publishes) and the
 *       checkpoint's signature and origin;
 *   <li>every entry bundle up to the checkpoint's size: each entry is canonical, fits the election, obeys the log's
 *       rules (device enrolled, not revoked, in scope; one sheet per TPS and contest unless a reviewer corrects it) and
 *       carries a valid signature by its device (sheets: the officer's; review decisions: the reviewer's); the Merkle
 *       root rebuilt from the entries is the signed one; every published hash tile holds exactly the hashes computed
 *       from the entries (a difference names the entry or the tile at fault);
 *   <li>the checkpoint against the one an earlier run verified (state file): no rollback, no fork, and a consistency
 *       proof from the site that verifies; independently, the rebuilt tree has the old root at the old size;
 *   <li>a few inclusion proofs served by the site;
 *   <li>replaying the log with the server's own state machine ({@link Intake}, {@link Tally}), every published document
 *       (election, contests per region, every region of every contest with each child) and the downloads of the top
 *       levels (every region with {@code --full}) equal the replay at exactly the log size each was published at.
 * </ol>
 *
 * <p>A live site keeps growing: a document from a newer snapshot makes the verifier fetch the newer checkpoint, check it
 * against the current one, extend the tree and replay up to exactly that document's size. A document older than what
 * has been replayed is fetched again a few times (a cache may lag), then reported.
 *
 * <p>A national site is millions of entries and hundreds of thousands of documents, so the work is spread over the
 * cores: entries are split, hashed, decoded and checked against the election ({@link EntryShape}) in the fetching
 * threads; only the replay itself runs in order on the calling thread, which hands each signature to {@link
 * SignatureChecks} (checked in the background until the end of the run); documents are fetched and compared in
 * parallel while the replay stands at their snapshot, first byte for byte with the replay's own rendering ({@link
 * ExpectedBytes}), field by field only when that differs. Findings are still reported in a fixed order.
 */
public final class Verifier {
    /**
     * @param key the verifier key to trust ({@code <name>+<id>+<key>}), or null to use the remembered or published one
     * @param stateFile where to remember the last verified checkpoint, or null for {@link VerifyState#defaultPath}
     * @param full compare the downloads of every region, not only of the top two levels
     * @param saveState whether to write the state file after a run where everything holds
     */
    public record Options(String key, Path stateFile, boolean full, boolean saveState) {
        public static Options defaults() {
            return new Options(null, null, false, true);
        }
    }

    static final String ELECTION = "api/v1/election.json";
    static final String CHECKPOINT = "checkpoint";
    static final String SETUP_REGIONS = "api/v1/setup/regions.csv";
    static final String SETUP_CONTESTS = "api/v1/setup/contests.json";
    /** Regions this deep (the root is 0) have their downloads compared without {@code --full}. */
    static final int DOWNLOAD_DEPTH = 2;
    private static final int SNAPSHOT_ATTEMPTS = 6;
    private static final int STALE_ATTEMPTS = 4;
    private static final int TILE_DIFFS_SHOWN = 5;
    private static final byte[] MISSING_LEAF = new byte[MerkleHash.SIZE];

    private final Source source;
    private final Options options;
    private final ProgressListener listener;
    private final Report report;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final SignatureChecks signatures = new SignatureChecks(Runtime.getRuntime().availableProcessors());

    private NoteVerifier verifier;
    private Checkpoint current;
    private final InMemoryHashStore hashes = new InMemoryHashStore();
    /** Entries fetched and hashed into {@link #hashes}: the size of the rebuilt tree. */
    private long fetched;
    /** The root of the published level-0 tile hashes, to tell a bad entry from a bad tile. */
    private final Frontier tileLeaves = new Frontier();
    private final List<LeafMismatch> leafMismatches = new ArrayList<>();
    private long higherTileDiffs;
    private long tilesCompared;
    private final List<Long> rootSizes = new ArrayList<>();

    private Setup setup;
    private Tally tally;
    private Intake intake;
    /** Fields seen in documents that no check covers, each once with indices elided. */
    private final Set<String> unknownFields = new ConcurrentSkipListSet<>();
    /**
     * Documents are compared in the fetching threads, in parallel, while the replay stands still (read lock); the main
     * thread takes the write lock to move the replay on to a newer document's snapshot.
     */
    private final ReentrantReadWriteLock replayLock = new ReentrantReadWriteLock();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long replayed;
    private long replayLimit;
    private long notReplayed;
    private boolean signatureOk = true;

    public Verifier(Source source, Options options, ProgressListener listener) {
        this.source = source;
        this.options = options;
        this.listener = listener;
        this.report = new Report(source.describe());
    }

    /**
     * Runs every check.
     *
     * @throws SourceException when the site cannot be read at all, or stops answering
     * @throws IllegalArgumentException when {@code options.key} is not a verifier key
     */
    public Report run() throws SourceException {
        try {
            return verify();
        } finally {
            pool.shutdownNow();
            signatures.close();
        }
    }

    private Report verify() throws SourceException {
        NoteVerifier pinned = options.key() == null ? null : NoteVerifier.parse(options.key().strip());

        Got electionGot = get(ELECTION);
        if (electionGot.body() == null)
            throw new SourceException("there is no " + ELECTION + " at " + source.describe() + ": is this the base URL"
                    + " of a Rekap site, or a directory holding a copy of one?");
        JsonNode electionDoc = null;
        try {
            electionDoc = Json.MAPPER.readTree(electionGot.body());
        } catch (IOException e) {
            report.add(Finding.of(Check.DOCUMENT, "is not JSON: " + e.getMessage()).path(ELECTION).build());
        }
        String publishedKey = text(electionDoc, "log", "verifierKey");
        String publishedOrigin = text(electionDoc, "log", "origin");

        Got note = get(CHECKPOINT);
        if (note.body() == null) {
            report.add(Finding.of(Check.SIGNATURE, "the site publishes no checkpoint: nothing it shows is signed")
                    .path(CHECKPOINT).expected("a signed checkpoint").build());
            return report;
        }
        Checkpoint unverified = parseUnverified(note.body(), false);

        String stateOrigin = publishedOrigin != null ? publishedOrigin : unverified != null ? unverified.origin() : null;
        Path statePath = options.stateFile() != null ? options.stateFile()
                : stateOrigin != null ? VerifyState.defaultPath(stateOrigin) : null;
        VerifyState state = null;
        if (statePath != null) {
            try {
                state = VerifyState.read(statePath).orElse(null);
            } catch (IOException e) {
                report.add(Finding.of(Check.STATE, "the state file of an earlier run cannot be read: " + e.getMessage()
                        + " (fix or remove it; it is how forks are detected)").path(statePath.toString()).build());
            }
        }

        if (!chooseKey(pinned, state, statePath, publishedKey)) return report;

        Checkpoint cp = open(note.body());
        if (cp == null) return report;
        if (publishedOrigin != null && !publishedOrigin.equals(cp.origin()))
            report.add(Finding.of(Check.ORIGIN, "the checkpoint is of another log than the site names").path(ELECTION)
                    .field("log.origin").expected(cp.origin()).found(publishedOrigin).build());
        if (state != null && !state.origin().equals(cp.origin()))
            report.add(Finding.of(Check.ORIGIN, "the checkpoint is of another log than the one the state file"
                    + " remembers").path(statePath.toString()).field("origin").expected(state.origin())
                    .found(cp.origin()).build());
        if (!verifier.name().equals(cp.origin()))
            report.warning("the key's name " + verifier.name() + " is not the log's origin " + cp.origin()
                    + " (tlog-checkpoint says it should be)");
        report.checkpoint(cp);
        if (signatureOk)
            report.checked("checkpoint signature (Ed25519, key " + verifier.name() + "+"
                    + String.format("%08x", verifier.keyId()) + ") and origin " + cp.origin());

        loadSetup();

        current = cp;
        replayLimit = cp.size();
        listener.begin("entries fetched, hashed and replayed", cp.size());
        extendLog(cp, true);
        listener.end();

        long firstSize = cp.size();
        int logLines = report.checkedLines().size();
        checkAgainstState(state, statePath, cp);
        checkInclusionProofs(cp);

        if (tally != null) {
            compareDocuments();
            compareDownloads();
            if (!unknownFields.isEmpty())
                report.warning("documents hold fields the replay does not cover (not checked): "
                        + String.join(", ", unknownFields));
        } else {
            report.notChecked("documents and downloads: the published set-up could not be read, so the log cannot be"
                    + " replayed");
        }
        // The signatures were checked in the background since the replay reached them.
        signatures.finish(listener).forEach(report::add);
        long signaturesChecked = signatures.checked();
        List<String> logChecks = new ArrayList<>();
        logChecks.add(fetched + " entries: each canonical" + (tally == null ? "" : ", fitting the election,"
                + " following the log's rules (enrolled, not revoked, in scope, once per TPS and contest), replayed"
                + " with the server's own state machine"));
        if (!rootSizes.isEmpty())
            logChecks.add("the Merkle root rebuilt from the entries is the signed root at log size "
                    + rootSizes.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
        logChecks.add(tilesCompared + " hash tiles (all levels) against the hashes computed from the entries");
        if (signaturesChecked > 0)
            logChecks.add(signaturesChecked + " device signatures: every sheet by the officer device enrolled for its"
                    + " TPS, every review decision by a reviewer enrolled for its region, each against the key the log"
                    + " enrolled (a device's id is its key's id)");
        report.checkedAt(logLines, logChecks);
        report.count("hash tiles", tilesCompared);
        if (current.size() > firstSize)
            report.checked("the log grew from " + firstSize + " to " + current.size() + " during the run: each newer"
                    + " checkpoint was checked against the previous one, and each document against the replay at"
                    + " its own snapshot's log size");
        if (!rootSizes.contains(current.size()) && tally != null)
            report.warning("the entries do not give the signed tree (see ROOT): differences in documents and downloads"
                    + " may come from altered entries, not from the documents");
        if (notReplayed > 0)
            report.warning(notReplayed + " entr" + (notReplayed == 1 ? "y" : "ies") + " could not be replayed (see the"
                    + " ENTRY and BUNDLE findings); document differences may follow from them");

        report.notChecked("who was entitled to enrol a device (the enrolment code) and to revoke one (the"
                + " administrator): those entries are signed by no one but the log, so only the log's rules are checked");
        report.notChecked("the set-up (" + SETUP_REGIONS + ", " + SETUP_CONTESTS + ") is not in the signed log:"
                + " the replay takes it as published");
        report.notChecked("TPS detail pages (api/v1/tps/...) and photos are not compared");
        if (!options.full())
            report.notChecked("downloads of regions below level " + DOWNLOAD_DEPTH + " (use --full to compare all)");

        saveState(statePath);
        return report;
    }

    // ---------------------------------------------------------------- key, checkpoint, state

    private boolean chooseKey(NoteVerifier pinned, VerifyState state, Path statePath, String publishedKey) {
        if (pinned != null) {
            verifier = pinned;
        } else if (state != null) {
            try {
                verifier = NoteVerifier.parse(state.verifierKey());
                report.checked("using the verifier key remembered in " + statePath);
            } catch (IllegalArgumentException e) {
                report.add(Finding.of(Check.STATE, "the remembered verifier key is not a key: " + e.getMessage())
                        .path(statePath.toString()).field("verifierKey").build());
            }
        }
        if (verifier == null) {
            if (publishedKey == null) {
                report.add(Finding.of(Check.KEY, "the site publishes no verifier key; pass the log's key with --key")
                        .path(ELECTION).field("log.verifierKey").build());
                return false;
            }
            try {
                verifier = NoteVerifier.parse(publishedKey);
            } catch (IllegalArgumentException e) {
                report.add(Finding.of(Check.KEY, "the published verifier key is not a key: " + e.getMessage())
                        .path(ELECTION).field("log.verifierKey").found(publishedKey).build());
                return false;
            }
            String w = "trusting the key the server publishes (first use): " + publishedKey
                    + "; compare it with one from an independent source, or pin it with --key";
            report.warning(w);
            listener.warn(w);
        }
        if (publishedKey != null && !publishedKey.equals(verifier.verifierKey()))
            report.add(Finding.of(Check.KEY, "the site publishes a different verifier key than the trusted one")
                    .path(ELECTION).field("log.verifierKey").expected(verifier.verifierKey()).found(publishedKey).build());
        return true;
    }

    /** Opens a checkpoint with the trusted key; on failure reports it and carries on with the unsigned body. */
    private Checkpoint open(byte[] note) {
        try {
            return Checkpoints.open(note, verifier);
        } catch (NoteException e) {
            signatureOk = false;
            Checkpoint body = parseUnverified(note, true);
            report.add(Finding.of(Check.SIGNATURE, "the checkpoint is not validly signed by the trusted key ("
                            + e.reason() + ": " + e.getMessage() + ")"
                            + (body == null ? "" : "; the rest is checked against its unsigned body"))
                    .path(CHECKPOINT).expected("a signature by " + verifier.verifierKey()).build());
            return body;
        }
    }

    private Checkpoint parseUnverified(byte[] note, boolean reportProblem) {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text());
        } catch (NoteException e) {
            if (reportProblem) report.add(Finding.of(Check.SIGNATURE, "the checkpoint cannot be read: " + e.getMessage())
                    .path(CHECKPOINT).build());
            return null;
        }
    }

    private void checkAgainstState(VerifyState state, Path statePath, Checkpoint cp) throws SourceException {
        if (state == null) {
            report.stateNote("no earlier run remembered" + (statePath == null ? "" : " in " + statePath)
                    + ": this checkpoint becomes the reference");
            return;
        }
        if (!state.origin().equals(cp.origin())) return;
        String earlier = "the checkpoint verified" + (state.verifiedAt().isEmpty() ? "" : " at " + state.verifiedAt())
                + " (" + statePath + ")";
        if (cp.size() < state.size()) {
            report.add(Finding.of(Check.CONSISTENCY, "ROLLBACK: the log is shorter than " + earlier)
                    .path(CHECKPOINT).field("tree size").expected(">= " + state.size()).found(cp.size()).build());
            return;
        }
        if (cp.size() == state.size()) {
            if (!Arrays.equals(cp.rootHash(), state.rootHash()))
                report.add(Finding.of(Check.CONSISTENCY, "FORK: the log signs a different tree of size " + cp.size()
                                + " than " + earlier).path(CHECKPOINT).field("root hash")
                        .expected(b64(state.rootHash())).found(b64(cp.rootHash())).build());
            else
                report.checked("the checkpoint is the one verified last time (size " + cp.size() + ")");
            return;
        }
        String proofPath = "api/v1/proof/consistency.json?from=" + state.size() + "&to=" + cp.size();
        if (state.size() > 0) {
            Got proof = get(proofPath);
            if (proof.body() == null) {
                report.notChecked("the site's consistency proof " + proofPath + " (not served by this copy); the"
                        + " remembered root is checked against the rebuilt tree instead");
            } else {
                List<byte[]> hashesOfProof = proofHashes(proofPath, proof.body());
                if (hashesOfProof != null) {
                    if (MerkleTree.verifyConsistency(state.size(), cp.size(), state.rootHash(), cp.rootHash(), hashesOfProof))
                        report.checked("consistency proof from size " + state.size() + " to " + cp.size());
                    else
                        report.add(Finding.of(Check.CONSISTENCY, "FORK: the site's consistency proof does not show that"
                                + " the log of size " + cp.size() + " extends " + earlier + " (size " + state.size()
                                + ")").path(proofPath).expected("a proof from root " + b64(state.rootHash()))
                                .found(hashesOfProof.size() + " hashes that do not verify").build());
                }
            }
        }
        byte[] oldRoot = new MerkleTree(hashes, fetched).root(state.size());
        if (!Arrays.equals(oldRoot, state.rootHash()))
            report.add(Finding.of(Check.CONSISTENCY, "FORK: the entries now give another tree at size " + state.size()
                            + " than " + earlier + ": the log was rewritten").path("tile/entries").field("root at size "
                            + state.size()).expected(b64(state.rootHash())).found(b64(oldRoot)).build());
        else
            report.checked("the rebuilt tree at size " + state.size() + " has the root verified last time");
    }

    private List<byte[]> proofHashes(String path, byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            List<byte[]> out = new ArrayList<>();
            for (JsonNode h : n.path("proof")) out.add(Base64.getDecoder().decode(h.asText()));
            if (!n.path("proof").isArray()) throw new IOException("no proof array");
            return out;
        } catch (IOException | IllegalArgumentException e) {
            report.add(Finding.of(Check.PROOF, "the proof cannot be read: " + e.getMessage()).path(path).build());
            return null;
        }
    }

    /** The site's inclusion proofs of the first, middle and last entries verify against the signed root. */
    private void checkInclusionProofs(Checkpoint cp) throws SourceException {
        long n = cp.size();
        if (n == 0 || fetched < n) return;
        int checked = 0;
        for (long index : new java.util.TreeSet<>(List.of(0L, n / 2, n - 1))) {
            String path = "api/v1/proof/inclusion.json?index=" + index + "&size=" + n;
            Got g = get(path);
            if (g.body() == null) {
                report.notChecked("the site's inclusion proofs (api/v1/proof/inclusion.json, not served by this copy)");
                return;
            }
            List<byte[]> proof = proofHashes(path, g.body());
            if (proof == null) continue;
            byte[] leaf = hashes.hash(0, index);
            if (!MerkleTree.verifyInclusion(index, n, leaf, proof, cp.rootHash()))
                report.add(Finding.of(Check.PROOF, "the site's inclusion proof of entry " + index + " does not verify"
                        + " against the signed root").path(path).seq(index).expected(b64(cp.rootHash())).build());
            else checked++;
        }
        if (checked > 0) report.checked(checked + " inclusion proofs served by the site");
    }

    private void saveState(Path statePath) {
        if (statePath == null || !options.saveState()) return;
        if (!report.ok()) {
            report.stateNote("not updated, because something does not hold: " + statePath + " still remembers the"
                    + " last good checkpoint");
            return;
        }
        try {
            new VerifyState(current.origin(), current.size(), current.rootHash(), verifier.verifierKey(),
                    Instant.now().toString(), source.describe()).write(statePath);
            report.stateNote("remembered checkpoint size " + current.size() + " in " + statePath
                    + "; the next run must find a consistent extension of it");
        } catch (IOException e) {
            report.warning("cannot write the state file " + statePath + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- set-up and replay

    private void loadSetup() throws SourceException {
        Got regions = get(SETUP_REGIONS);
        Got contests = get(SETUP_CONTESTS);
        for (Got g : List.of(regions, contests))
            if (g.body() == null)
                report.add(Finding.of(Check.SETUP, "the set-up file is missing, so the log cannot be replayed")
                        .path(g.path()).build());
        if (regions.body() == null || contests.body() == null) return;
        try {
            ContestsJson.Setup c = ContestsJson.read(contests.body());
            List<Region> rows = RegionCsv.read(new BufferedReader(new InputStreamReader(
                    new ByteArrayInputStream(regions.body()), StandardCharsets.UTF_8)));
            Setup s = new Setup(c.name(), c.rootName(), rows, c.contests());
            Election election = s.election();
            setup = s;
            tally = new Tally(election);
            intake = new Intake(tally);
        } catch (InvalidInputException e) {
            for (InputError ie : e.errors().subList(0, Math.min(10, e.errors().size())))
                report.add(Finding.of(Check.SETUP, ie.describe("set-up")).path(SETUP_REGIONS + " / " + SETUP_CONTESTS)
                        .build());
        } catch (IOException | IllegalArgumentException e) {
            report.add(Finding.of(Check.SETUP, "the set-up does not form an election: " + e.getMessage())
                    .path(SETUP_REGIONS + " / " + SETUP_CONTESTS).build());
        }
    }

    /**
     * An entry waiting to be replayed: decoded (or why not) and checked against the election ({@link EntryShape}) in a
     * fetching thread; entry and problem both null when it is missing from its bundle.
     */
    private record Pending(long seq, Entry entry, String problem, String bundle, List<FieldError> shape) {}

    private void replayTo(long size) {
        while (replayed < size && !pending.isEmpty() && pending.peekFirst().seq() == replayed) {
            apply(pending.pollFirst());
            replayed++;
        }
    }

    private void apply(Pending p) {
        if (p.entry() == null) {
            if (p.problem() != null)
                report.add(Finding.of(Check.ENTRY, "not a canonical, well-formed log entry: " + p.problem())
                        .path(p.bundle()).seq(p.seq()).build());
            notReplayed++;
            return;
        }
        if (tally == null) return;
        Entry entry = p.entry();
        long seq = p.seq();
        String tps = null, contest = null;
        List<FieldError> shape = p.shape();
        switch (entry) {
            case SheetSubmitted s -> {
                tps = s.sheet().tps();
                contest = s.sheet().contest();
                Device d = intake.device(s.device());
                if (d != null) signatures.add(seq, p.bundle(), entry, d.publicKey());
            }
            case ReviewDecided r -> {
                tps = r.tps();
                contest = r.contest();
                Device d = intake.device(r.reviewer());
                if (d != null) signatures.add(seq, p.bundle(), entry, d.publicKey());
            }
            case DeviceEnrolled d -> tps = d.scope();
            case DeviceRevoked r -> {
            }
        }
        if (!shape.isEmpty()) {
            FieldError fe = shape.getFirst();
            report.add(Finding.of(Check.ENTRY, "the " + entry.type() + " entry does not fit the election (" + fe.rule()
                            + ": " + fe.message() + (shape.size() > 1 ? "; and " + (shape.size() - 1) + " more" : "")
                            + "); the server refuses such input").path(p.bundle()).seq(seq).region(tps).contest(contest)
                    .field(fe.field()).build());
            if (!(entry instanceof DeviceEnrolled)) {
                notReplayed++;
                return;
            }
        }
        Decision decision = intake.decide(entry);
        if (decision instanceof Decision.Refuse r) {
            FieldError fe = r.errors().getFirst();
            report.add(Finding.of(Check.ENTRY, "the log holds a " + entry.type() + " entry its rules refuse ("
                            + fe.rule() + ": " + fe.message() + "); replayed as the server replays it").path(p.bundle())
                    .seq(seq).region(tps).contest(contest).field(fe.field()).build());
        } else if (decision instanceof Decision.Repeat r) {
            report.add(Finding.of(Check.ENTRY, "the log holds a retry of entry " + r.receipt().seq() + " ("
                            + entry.type() + "); a retry is never stored twice").path(p.bundle()).seq(seq).region(tps)
                    .contest(contest).build());
        }
        try {
            intake.apply(seq, entry);
        } catch (RuntimeException e) {
            report.add(Finding.of(Check.ENTRY, "cannot be replayed: " + e.getMessage()).path(p.bundle())
                    .seq(seq).region(tps).contest(contest).build());
            notReplayed++;
            return;
        }
        tally.advanceTo(seq + 1);
    }

    /** An entry as a fetching thread leaves it: decoded and checked against the election, or why it is not one. */
    private record Decoded(Entry entry, String problem, List<FieldError> shape) {}

    /** An entry bundle's entries, decoded in a fetching thread ({@code election} null: the set-up is unreadable). */
    private static Decoded[] decodeAll(List<byte[]> entries, Election election, SignatureChecks signatures) {
        Decoded[] out = new Decoded[entries.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                Entry e = EntryCodec.decode(entries.get(i));
                out[i] = new Decoded(e, null, election == null ? List.of() : EntryShape.check(e, election, signatures));
            } catch (IllegalArgumentException e) {
                out[i] = new Decoded(null, e.getMessage() == null ? "unreadable" : e.getMessage(), List.of());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the log: entries, root, tiles

    /** A level-0 tile hash that is not the leaf hash of the entry at its position. */
    private record LeafMismatch(long seq, String bundle, String tile, int index, byte[] leaf, byte[] tileHash) {}

    /** The bytes of an entry bundle and its level-0 hash tile. */
    private record BundleAndTile(Tile bundle, Got entries, Got tile, Split split) {}

    /** A bundle split into entries, each hashed and decoded (in a fetching thread), or why it cannot be split. */
    private record Split(List<byte[]> entries, byte[][] leaves, Decoded[] decoded, String problem) {
        static Split of(Tile b, Got got, Election election, SignatureChecks signatures) {
            if (got.body() == null) return null;
            List<byte[]> entries;
            try {
                entries = EntryBundle.decode(got.body());
            } catch (IllegalArgumentException e) {
                return new Split(List.of(), new byte[0][], new Decoded[0], e.getMessage());
            }
            if (got.fromFull() && entries.size() > b.width()) entries = entries.subList(0, b.width());
            byte[][] leaves = new byte[entries.size()][];
            for (int i = 0; i < leaves.length; i++) leaves[i] = MerkleHash.leaf(entries.get(i));
            return new Split(entries, leaves, decodeAll(entries, election, signatures), null);
        }
    }

    private BundleAndTile fetchBundle(Tile b) throws SourceException {
        Got entries = getTile(b);
        Got tile = getTile(new Tile(0, b.index(), b.width()));
        return new BundleAndTile(b, entries, tile, Split.of(b, entries, tally == null ? null : tally.election(), signatures));
    }

    /**
     * Fetches the entries from {@link #fetched} up to the target checkpoint, hashes them into the tree and replays them
     * up to {@link #replayLimit}; checks the rebuilt root and the hash tiles. Returns whether the root matched.
     */
    private boolean extendLog(Checkpoint target, boolean showProgress) throws SourceException {
        long from = fetched, to = target.size();
        List<Tile> bundles = TileLayout.entryBundles(from, to);
        inOrder(bundles, this::fetchBundle, got -> {
            int added = addBundle(got, from);
            replayTo(Math.min(fetched, replayLimit));
            if (showProgress) listener.advance(added);
        });
        report.count("entries", to - from);

        byte[] rebuilt = new MerkleTree(hashes, to).root();
        boolean rootOk = Arrays.equals(rebuilt, target.rootHash());
        boolean tilesGiveRoot = tileLeaves.valid() && tileLeaves.size() == to
                && Arrays.equals(tileLeaves.root(), target.rootHash());
        if (rootOk) {
            rootSizes.add(to);
        } else {
            String why = leafMismatches.isEmpty() && tileLeaves.valid() && tileLeaves.size() == to
                    && Arrays.equals(tileLeaves.root(), rebuilt)
                    ? "the entries and the hash tiles agree with each other, but the checkpoint signs another tree"
                            + " (a fork, or a checkpoint of other entries)"
                    : "the entries do not give the signed tree";
            report.add(Finding.of(Check.ROOT, "the root rebuilt from the entries is not the checkpoint's: " + why)
                    .path(CHECKPOINT).field("root hash at size " + to).expected(b64(target.rootHash()))
                    .found(b64(rebuilt)).build());
        }
        for (LeafMismatch m : leafMismatches) {
            if (rootOk)
                report.add(Finding.of(Check.TILE, "hash " + m.index() + " of the tile is not the leaf hash of entry "
                                + m.seq() + " (the entries give the signed root, so the tile is wrong)").path(m.tile())
                        .seq(m.seq()).expected(b64(m.leaf())).found(b64(m.tileHash())).build());
            else if (tilesGiveRoot)
                report.add(Finding.of(Check.ENTRY, "entry " + m.seq() + " was altered: its leaf hash is not the one"
                                + " the signed tree holds (hash " + m.index() + " of " + m.tile() + ")").path(m.bundle())
                        .seq(m.seq()).field("leaf hash").expected(b64(m.tileHash())).found(b64(m.leaf())).build());
            else
                report.add(Finding.of(Check.ENTRY, "entry " + m.seq() + " and hash " + m.index() + " of " + m.tile()
                                + " disagree, and neither the entries nor the tiles give the signed root")
                        .path(m.bundle()).seq(m.seq()).field("leaf hash").expected(b64(m.tileHash()))
                        .found(b64(m.leaf())).build());
        }
        leafMismatches.clear();
        checkHigherTiles(from, to, rootOk);
        return rootOk;
    }

    /** Decodes one bundle, lines its entries up with their positions, hashes and queues them. Returns entries added. */
    private int addBundle(BundleAndTile bt, long from) {
        Tile b = bt.bundle();
        long first = b.index() * TileLayout.WIDTH;
        int w = b.width();
        String bundlePath = b.path();
        String tilePath = new Tile(0, b.index(), w).path();

        Split split = bt.split();
        boolean decoded = split != null && split.problem() == null;
        if (split == null)
            report.add(Finding.of(Check.BUNDLE, "the entry bundle is missing: entries " + first + ".." + (first + w - 1)
                    + " cannot be checked").path(bundlePath).expected(w + " entries").build());
        else if (split.problem() != null)
            report.add(Finding.of(Check.BUNDLE, "the entry bundle cannot be split into entries: " + split.problem())
                    .path(bundlePath).build());
        byte[][] entryLeaves = split == null ? new byte[0][] : split.leaves();

        byte[] tile = bt.tile().body();
        if (tile == null) {
            report.add(Finding.of(Check.TILE, "the hash tile is missing").path(tilePath)
                    .expected(w + " hashes").build());
        } else if (tile.length != w * MerkleHash.SIZE) {
            report.add(Finding.of(Check.TILE, "the hash tile has the wrong length").path(tilePath)
                    .expected(w * MerkleHash.SIZE + " bytes").found(tile.length + " bytes").build());
            tile = tile.length > w * MerkleHash.SIZE ? Arrays.copyOf(tile, w * MerkleHash.SIZE) : null;
        }
        if (tile == null) tileLeaves.invalidate();

        int[] at = new int[w];
        Arrays.fill(at, -1);
        int k = entryLeaves.length;
        if (k > w) {
            report.add(Finding.of(Check.BUNDLE, "the bundle holds more entries than its width; the extra ones are not"
                    + " part of the log").path(bundlePath).expected(w + " entries").found(k + " entries").build());
            k = w;
        }
        if (k == w) {
            for (int i = 0; i < w; i++) at[i] = i;
        } else if (decoded) {
            report.add(Finding.of(Check.BUNDLE, "the bundle is short: entries were dropped").path(bundlePath)
                    .expected(w + " entries (" + first + ".." + (first + w - 1) + ")").found(k + " entries").build());
            // Line the entries up with the tile's leaf hashes to name the ones that are missing.
            int j = 0, missingLeft = w - k;
            for (int i = 0; i < w; i++) {
                boolean matches = j < k && tile != null && Arrays.equals(entryLeaves[j], slice(tile, i));
                if (!matches && missingLeft > 0 && (tile != null || j >= k)) {
                    missingLeft--;
                    report.add(Finding.of(Check.BUNDLE, "entry " + (first + i) + " is missing from the bundle")
                            .path(bundlePath).seq(first + i).expected("entry " + (first + i)
                                    + (tile != null ? " with leaf hash " + b64(slice(tile, i)) : "")).build());
                } else {
                    at[i] = j++;
                }
            }
        }

        List<byte[]> leaves = new ArrayList<>(w);
        for (int i = 0; i < w; i++) {
            long seq = first + i;
            byte[] leaf = at[i] < 0 ? null : entryLeaves[at[i]];
            byte[] th = tile == null ? null : slice(tile, i);
            if (seq < from) {
                // Read before in this run: the log must not have changed since.
                byte[] known = hashes.hash(0, seq);
                if (leaf != null && !Arrays.equals(leaf, known))
                    report.add(Finding.of(Check.ENTRY, "entry " + seq + " changed while this run was reading the log")
                            .path(bundlePath).seq(seq).expected(b64(known)).found(b64(leaf)).build());
                if (th != null && !Arrays.equals(th, known))
                    report.add(Finding.of(Check.TILE, "hash " + i + " of the tile changed while this run was reading"
                            + " the log").path(tilePath).seq(seq).expected(b64(known)).found(b64(th)).build());
                continue;
            }
            leaves.add(leaf == null ? MISSING_LEAF : leaf);
            if (th != null) tileLeaves.push(th);
            if (leaf != null && th != null && !Arrays.equals(leaf, th))
                leafMismatches.add(new LeafMismatch(seq, bundlePath, tilePath, i, leaf, th));
            Decoded d = at[i] < 0 ? null : split.decoded()[at[i]];
            pending.addLast(d == null ? new Pending(seq, null, null, bundlePath, List.of())
                    : new Pending(seq, d.entry(), d.problem(), bundlePath, d.shape()));
        }
        hashes.putAll(new MerkleTree(hashes, fetched).hashesToAppend(leaves));
        fetched += leaves.size();
        tilesCompared++;
        return leaves.size();
    }

    /** Compares the hash tiles of levels 1 and up with the rebuilt tree's hashes. */
    private void checkHigherTiles(long from, long to, boolean rootOk) throws SourceException {
        List<Tile> tiles = TileLayout.hashTiles(from, to).stream().filter(t -> t.level() > 0).toList();
        if (tiles.isEmpty()) return;
        inOrder(tiles, this::getTile, got -> {
            Tile t = TileLayout.parse(got.tilePath()).orElseThrow();
            tilesCompared++;
            if (got.body() == null) {
                report.add(Finding.of(Check.TILE, "the hash tile is missing").path(t.path())
                        .expected(t.width() + " hashes").build());
                return;
            }
            byte[] expected = TileLayout.hashTile(hashes, t);
            byte[] found = got.body();
            if (found.length != expected.length) {
                report.add(Finding.of(Check.TILE, "the hash tile has the wrong length").path(t.path())
                        .expected(expected.length + " bytes").found(found.length + " bytes").build());
                if (found.length < expected.length) return;
            }
            int shown = 0, differ = 0;
            for (int i = 0; i < t.width(); i++) {
                byte[] e = slice(expected, i), f = slice(found, i);
                if (Arrays.equals(e, f)) continue;
                differ++;
                if (!rootOk) continue;
                long firstLeaf = (t.index() * TileLayout.WIDTH + i) << (TileLayout.HEIGHT * t.level());
                long lastLeaf = Math.min(to, firstLeaf + (1L << (TileLayout.HEIGHT * t.level()))) - 1;
                if (shown++ < TILE_DIFFS_SHOWN)
                    report.add(Finding.of(Check.TILE, "hash " + i + " of the tile (over entries " + firstLeaf + ".."
                                    + lastLeaf + ") is not the hash computed from the entries").path(t.path())
                            .expected(b64(e)).found(b64(f)).build());
            }
            if (rootOk && shown > TILE_DIFFS_SHOWN)
                report.add(Finding.of(Check.TILE, (shown - TILE_DIFFS_SHOWN) + " more hashes of the tile differ")
                        .path(t.path()).build());
            if (!rootOk) higherTileDiffs += differ;
        });
        if (!rootOk && higherTileDiffs > 0)
            report.warning(higherTileDiffs + (higherTileDiffs == 1 ? " hash" : " hashes") + " of higher-level tiles"
                    + " differ from the tree rebuilt from the entries, a consequence of the entry findings");
    }

    private static byte[] slice(byte[] tile, int i) {
        return Arrays.copyOfRange(tile, i * MerkleHash.SIZE, (i + 1) * MerkleHash.SIZE);
    }

    // ---------------------------------------------------------------- documents

    /** One document or download to compare. */
    private record Job(String path, Contest contest, int node, Kind kind) {}

    private enum Kind { ELECTION, CONTESTS_AT, REGION, CSV, JSON_DOWNLOAD }

    private void compareDocuments() throws SourceException {
        RegionTree tree = tally.election().tree();
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job(ELECTION, null, RegionTree.ROOT, Kind.ELECTION));
        for (int node = 0; node < tree.regionCount(); node++) {
            String code = tree.code(node);
            jobs.add(new Job("api/v1/regions/" + code + ".json", null, node, Kind.CONTESTS_AT));
            for (Contest c : tally.election().published())
                if (tally.has(c.id(), node))
                    jobs.add(new Job("api/v1/regions/" + code + "/" + c.id() + ".json", c, node, Kind.REGION));
        }
        listener.begin("documents compared", jobs.size());
        runJobs(jobs);
        listener.end();
        report.count("documents", jobs.size());
        report.checked("election.json, every region's contest list, and every region document of every contest"
                + " (totals and each child) against the replay" + renderedNote());
    }

    private void compareDownloads() throws SourceException {
        RegionTree tree = tally.election().tree();
        List<Job> jobs = new ArrayList<>();
        for (int node = 0; node < tree.regionCount(); node++) {
            if (!options.full() && tree.depth(node) > DOWNLOAD_DEPTH) continue;
            String code = tree.code(node);
            for (Contest c : tally.election().published()) {
                if (!tally.has(c.id(), node)) continue;
                jobs.add(new Job("api/v1/download/" + code + "/" + c.id() + ".csv", c, node, Kind.CSV));
                jobs.add(new Job("api/v1/download/" + code + "/" + c.id() + ".json", c, node, Kind.JSON_DOWNLOAD));
            }
        }
        listener.begin("downloads compared", jobs.size());
        runJobs(jobs);
        listener.end();
        report.checked("CSV and JSON downloads of " + (options.full() ? "every region" : "the root and the regions of"
                + " the first " + DOWNLOAD_DEPTH + " levels") + ", row by row, against the replay" + renderedNote());
    }

    /** How many of the files just compared were byte for byte the replay's rendering; resets the counts. */
    private String renderedNote() {
        long bytes = byBytes.sumThenReset(), fields = byFields.sumThenReset();
        return " (" + bytes + " byte for byte as the replay renders them" + (fields == 0 ? "" : ", " + fields
                + " field by field") + ")";
    }

    private void runJobs(List<Job> jobs) throws SourceException {
        inOrder(jobs, this::fetchAndCompare, (job, outcome) -> {
            if (outcome.findings() != null) {
                outcome.findings().forEach(report::add);
                if (job.kind() == Kind.CSV) report.count("download rows", outcome.rows());
            } else {
                compare(job, outcome.got());
            }
            listener.advance(1);
        });
    }

    /** A fetched document, and its findings when it could be compared right away (else null). */
    private record Outcome(Got got, List<Finding> findings, long rows) {}

    /**
     * In a fetching thread: fetches the document and, when it is of the snapshot the replay stands at, compares it
     * there and then. Anything else (missing, newer, older) is left to the main thread, in list order.
     */
    private Outcome fetchAndCompare(Job job) throws SourceException {
        Got got = get(job.path());
        if (got.body() == null) return new Outcome(got, null, 0);
        replayLock.readLock().lock();
        try {
            long size = got.logSize().isPresent() ? got.logSize().getAsLong() : current.size();
            if (size != replayed) return new Outcome(got, null, 0);
            List<Finding> found = new ArrayList<>();
            long rows = compareAt(job, got, size, new DocumentCheck(found::add, setup.name(), tally, unknownFields));
            return new Outcome(got, found, rows);
        } finally {
            replayLock.readLock().unlock();
        }
    }

    /** On the main thread: brings the replay to the document's snapshot (refetching a stale one), then compares. */
    private void compare(Job job, Got got) throws SourceException {
        RegionTree tree = tally.election().tree();
        String region = job.kind() == Kind.ELECTION ? null : tree.code(job.node());
        String contest = job.contest() == null ? null : job.contest().id();
        for (int attempt = 1; ; attempt++) {
            if (got.body() == null) {
                report.add(Finding.of(job.kind() == Kind.CSV || job.kind() == Kind.JSON_DOWNLOAD ? Check.DOWNLOAD
                                : Check.DOCUMENT, "is missing (the replay has results here)").path(job.path())
                        .region(region).contest(contest).build());
                return;
            }
            long size = got.logSize().isPresent() ? got.logSize().getAsLong() : current.size();
            if (size > replayed) {
                replayLock.writeLock().lock();
                try {
                    if (!advanceTo(size, job.path())) return;
                } finally {
                    replayLock.writeLock().unlock();
                }
            }
            if (size == replayed) break;
            if (attempt == STALE_ATTEMPTS) {
                report.add(Finding.of(Check.SNAPSHOT, "the document stays older than the log already verified, so it"
                                + " cannot be compared (a lagging cache?)").path(job.path()).region(region)
                        .contest(contest).field("X-Rekap-Log-Size").expected(">= " + replayed).found(size).build());
                return;
            }
            pause(200L * attempt);
            got = get(job.path());
        }
        long rows = compareAt(job, got, replayed, new DocumentCheck(report::add, setup.name(), tally, unknownFields));
        if (job.kind() == Kind.CSV) report.count("download rows", rows);
    }

    /** Counts the documents that were exactly the replay's rendering (the fast path) and those compared field by field. */
    private boolean asRendered(boolean same) {
        (same ? byBytes : byFields).increment();
        return same;
    }

    private final LongAdder byBytes = new LongAdder(), byFields = new LongAdder();

    /** Compares a document of the snapshot at {@code size}, the replay standing there; returns the rows of a download. */
    private long compareAt(Job job, Got got, long size, DocumentCheck documents) {
        RegionTree tree = tally.election().tree();
        String region = job.kind() == Kind.ELECTION ? null : tree.code(job.node());
        String contest = job.contest() == null ? null : job.contest().id();
        switch (job.kind()) {
            case ELECTION -> {
                asRendered(false); // one document, always compared field by field
                JsonNode n = documents.parse(job.path(), got.body(), null, null);
                if (n != null) documents.election(job.path(), n, size, current.origin(), verifier.verifierKey());
            }
            case CONTESTS_AT -> {
                if (asRendered(ExpectedBytes.contestsAt(got.body(), tally.election(), tally, job.node()))) return 0;
                JsonNode n = documents.parse(job.path(), got.body(), region, null);
                if (n != null) documents.contestsAt(job.path(), job.node(), n);
            }
            case REGION -> {
                if (asRendered(ExpectedBytes.region(got.body(), setup.name(), tally, job.contest(), job.node(), size)))
                    return 0;
                JsonNode n = documents.parse(job.path(), got.body(), region, contest);
                if (n != null) documents.region(job.path(), job.contest(), job.node(), n, size);
            }
            case CSV -> {
                long rows = ExpectedBytes.csv(got.body(), tally, job.contest(), job.node());
                return asRendered(rows >= 0) ? rows : documents.csv(job.path(), job.contest(), job.node(), got.body());
            }
            case JSON_DOWNLOAD -> {
                long rows = ExpectedBytes.json(got.body(), tally, job.contest(), job.node(), size);
                return asRendered(rows >= 0) ? rows
                        : documents.jsonDownload(job.path(), job.contest(), job.node(), got.body(), size);
            }
        }
        return 0;
    }

    /**
     * Brings the replay to exactly {@code size}: from entries already fetched, or by fetching a newer checkpoint
     * (checked against the current one) and the entries up to it. False (and a finding) when no signed checkpoint
     * covers that size.
     */
    private boolean advanceTo(long size, String because) throws SourceException {
        if (size <= fetched) {
            replayLimit = size;
            replayTo(size);
            return replayed == size;
        }
        for (int attempt = 1; attempt <= SNAPSHOT_ATTEMPTS; attempt++) {
            Got note = get(CHECKPOINT);
            if (note.body() == null) break;
            Checkpoint cp = open(note.body());
            if (cp == null) return false;
            if (!cp.origin().equals(current.origin())) {
                report.add(Finding.of(Check.ORIGIN, "the checkpoint changed log while this run was reading it")
                        .path(CHECKPOINT).expected(current.origin()).found(cp.origin()).build());
                return false;
            }
            if (cp.size() < current.size()) {
                report.add(Finding.of(Check.CONSISTENCY, "ROLLBACK: the checkpoint shrank while this run was reading"
                        + " the log").path(CHECKPOINT).field("tree size").expected(">= " + current.size())
                        .found(cp.size()).build());
                return false;
            }
            if (cp.size() >= size) {
                checkServerConsistency(current, cp);
                replayLimit = size;
                extendLog(cp, false);
                current = cp;
                report.checkpoint(cp);
                replayTo(size);
                return replayed == size;
            }
            pause(300L * attempt);
        }
        report.add(Finding.of(Check.SNAPSHOT, "the document is from a log size no signed checkpoint covers").path(because)
                .field("X-Rekap-Log-Size").expected("<= " + current.size() + " (the newest checkpoint)").found(size)
                .build());
        return false;
    }

    /** The site's consistency proof between two checkpoints read in this run. */
    private void checkServerConsistency(Checkpoint older, Checkpoint newer) throws SourceException {
        if (older.size() == 0 || older.size() == newer.size()) return;
        String path = "api/v1/proof/consistency.json?from=" + older.size() + "&to=" + newer.size();
        Got g = get(path);
        if (g.body() == null) return;
        List<byte[]> proof = proofHashes(path, g.body());
        if (proof != null && !MerkleTree.verifyConsistency(older.size(), newer.size(), older.rootHash(),
                newer.rootHash(), proof))
            report.add(Finding.of(Check.CONSISTENCY, "FORK: the site's consistency proof does not show that the"
                    + " checkpoint of size " + newer.size() + " extends the one of size " + older.size() + " read earlier"
                    + " in this run").path(path).expected("a valid proof").build());
    }

    // ---------------------------------------------------------------- fetching

    /** A fetched path: its bytes, or null with why when the site has nothing there. */
    private record Got(String path, byte[] body, OptionalLong logSize, String missing, boolean fromFull, String tilePath) {}

    private Got get(String path) throws SourceException {
        try {
            Source.Response r = source.fetch(path);
            return new Got(path, r.body(), r.logSize(), null, false, path);
        } catch (NotFoundException e) {
            return new Got(path, null, OptionalLong.empty(), e.getMessage(), false, path);
        }
    }

    /**
     * A tile or bundle; when a partial one is gone (the log grew and the tile filled up), its full tile, of which the
     * first hashes (entries) are the partial one's, as tlog-tiles lets clients do.
     */
    private Got getTile(Tile t) throws SourceException {
        Got g = get(t.path());
        if (g.body() != null || !t.isPartial()) return g;
        Tile full = new Tile(t.level(), t.index(), TileLayout.WIDTH);
        Got f = get(full.path());
        if (f.body() == null) return g;
        byte[] body = f.body();
        if (!t.isEntries() && body.length >= t.width() * MerkleHash.SIZE)
            body = Arrays.copyOf(body, t.width() * MerkleHash.SIZE);
        return new Got(full.path(), body, f.logSize(), null, true, t.path());
    }

    private interface Fetch<T, R> {
        R fetch(T item) throws SourceException;
    }

    private interface Handle<R> {
        void handle(R result) throws SourceException;
    }

    private interface Handle2<T, R> {
        void handle(T item, R result) throws SourceException;
    }

    private <T, R> void inOrder(List<T> items, Fetch<T, R> fetch, Handle<R> handle) throws SourceException {
        inOrder(items, fetch, (Handle2<T, R>) (item, r) -> handle.handle(r));
    }

    /** Fetches up to {@link Source#inFlight} items at a time, handling the results one by one in list order. */
    private <T, R> void inOrder(List<T> items, Fetch<T, R> fetch, Handle2<T, R> handle) throws SourceException {
        ArrayDeque<Future<R>> window = new ArrayDeque<>();
        int next = 0;
        try {
            for (T item : items) {
                while (next < items.size() && window.size() < source.inFlight()) {
                    T it = items.get(next++);
                    window.addLast(pool.submit(() -> fetch.fetch(it)));
                }
                handle.handle(item, await(window.pollFirst()));
            }
        } finally {
            for (Future<R> f : window) f.cancel(true);
        }
    }

    private static <R> R await(Future<R> f) throws SourceException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException s) throw s;
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new SourceException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static void pause(long millis) throws SourceException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        }
    }

    private static String text(JsonNode n, String... path) {
        if (n == null) return null;
        for (String p : path) n = n.path(p);
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    /** The root of a growing list of leaf hashes, keeping one hash per level (as {@link MerkleTree#rootOf}). */
    private static final class Frontier {
        private final byte[][] stack = new byte[64][];
        private long size;
        private boolean valid = true;

        void push(byte[] leaf) {
            byte[] h = leaf;
            int level = 0;
            for (long i = size; (i & 1) == 1; i >>= 1) {
                h = MerkleHash.node(stack[level], h);
                stack[level++] = null;
            }
            stack[level] = h;
            size++;
        }

        long size() {
            return size;
        }

        boolean valid() {
            return valid;
        }

        void invalidate() {
            valid = false;
        }

        byte[] root() {
            if (size == 0) return MerkleHash.empty();
            byte[] root = null;
            for (byte[] h : stack) if (h != null) root = root == null ? h : MerkleHash.node(h, root);
            return root;
        }
    }
}
