package org.rekap.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.Json;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.NoteException;
import org.rekap.ledger.SignedNote;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.publish.Document;
import org.rekap.publish.SearchIndex;
import org.rekap.publish.TpsDetail;
import org.rekap.region.RegionTree;
import org.rekap.store.PhotoStore;
import org.rekap.store.Setup;
import org.rekap.verify.NotFoundException;
import org.rekap.verify.ProgressListener;
import org.rekap.verify.Report;
import org.rekap.verify.SourceException;
import org.rekap.verify.Verifier;

/**
 * Keeps a verified copy of an origin's site. Each {@link #poll} fetches the origin's checkpoint; when it differs from
 * the one served, the whole site is read through a {@link RecordingSource} and checked by the {@link Verifier} (the
 * checkpoint's signature with the pinned key, consistency with the last verified checkpoint, every entry and device
 * signature, the tree and its tiles, and every document and download against a replay of the log). Only when all of
 * it holds, and every file is of the one log size the checkpoint signs, is a new {@link MirrorSite} built and swapped
 * in. TPS pages are rendered here from the verified entries and photos are checked against their hashes, so nothing the
 * mirror serves rests on the origin's word. Otherwise the last verified site stays, and the outcome is reported
 * (events, {@link #status}).
 */
public final class Mirror {
    private final URI origin;
    private final String key;
    private final Path stateFile;
    private final BiConsumer<String, Object[]> events;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile MirrorSite site;
    private byte[] refusedCheckpoint;
    private Instant lastAttempt;
    private String lastOutcome = "starting", lastProblem;
    private long synced, refused, unreachable;

    /**
     * @param key the verifier key to trust, or null to pin the one the origin publishes at the first sync
     * @param stateFile where the verifier remembers the last checkpoint it verified (and so the pinned key)
     * @param events receives structured events: a name and key-value pairs
     */
    public Mirror(URI origin, String key, Path stateFile, BiConsumer<String, Object[]> events) {
        String s = origin.toString();
        this.origin = URI.create(s.endsWith("/") ? s : s + "/");
        this.key = key;
        this.stateFile = stateFile;
        this.events = events;
    }

    /** The verified site being served, or null before the first successful sync. */
    public MirrorSite site() {
        return site;
    }

    public synchronized MirrorStatus status() {
        MirrorSite s = site;
        return new MirrorStatus(origin.toString(), s != null, s == null ? -1 : s.logSize(), s == null ? null : s.verifiedAt(),
                lastAttempt, lastOutcome, lastProblem, synced, refused, unreachable);
    }

    /** One poll of the origin; returns the outcome (see {@link MirrorStatus}). Called by one thread at a time. */
    public synchronized String poll() {
        lastAttempt = Instant.now();
        MirrorSite current = site;
        RecordingSource quick = new RecordingSource(origin, client, Map.of());
        byte[] note;
        try {
            note = quick.get(CHECKPOINT).body();
        } catch (SourceException | NotFoundException e) {
            return unreachable(e.getMessage());
        }
        if (current != null && Arrays.equals(note, current.checkpoint())) return outcome("up_to_date", null);
        if (refusedCheckpoint != null && Arrays.equals(note, refusedCheckpoint)) return "refused"; // already reported
        RecordingSource source = new RecordingSource(origin, client, current == null ? Map.of() : current.fetched());
        Report report;
        try {
            report = new Verifier(source, new Verifier.Options(key, stateFile, true, true), ProgressListener.NONE).run();
        } catch (SourceException e) {
            return unreachable(e.getMessage());
        }
        if (!report.ok()) return refuse(note, "does_not_verify", String.join(" | ", report.findings().stream().limit(3)
                .map(org.rekap.verify.Finding::line).toList()));
        Map<String, RecordingSource.Fetched> got = source.recorded();
        try {
            MirrorSite next = build(got);
            site = next;
            refusedCheckpoint = null;
            synced++;
            events.accept("mirror_synced", new Object[] {"origin", origin.toString(), "log_size", next.logSize(),
                    "files", next.files().size()});
            return outcome("synced", null);
        } catch (Moving e) {
            return outcome("origin_moving", e.getMessage());
        } catch (Refusal | RuntimeException e) {
            return refuse(note, "does_not_verify", e.getMessage());
        }
    }

    /** The origin published a newer snapshot while the sync read it. */
    private static final class Moving extends Exception {
        Moving(String message) {
            super(message);
        }
    }

    /** Something the verifier does not cover does not hold either. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }

    private MirrorSite build(Map<String, RecordingSource.Fetched> got) throws Moving, Refusal {
        RecordingSource.Fetched cp = got.get(CHECKPOINT);
        long size;
        try {
            size = Checkpoint.parse(SignedNote.parse(cp.body()).text()).size();
        } catch (NoteException | RuntimeException e) {
            throw new Refusal("the checkpoint cannot be read: " + e.getMessage());
        }
        for (var e : got.entrySet())
            if (e.getValue().logSize().isPresent() && e.getValue().logSize().getAsLong() != size)
                throw new Moving(e.getKey() + " is of log size " + e.getValue().logSize().getAsLong() + ", the checkpoint of "
                        + size);
        Map<String, Document> files = new HashMap<>();
        for (var e : got.entrySet()) {
            if (e.getKey().contains("?")) continue; // proofs of one query; readers compute proofs from the tiles
            files.put(e.getKey(), Document.of(e.getValue().contentType(), e.getValue().body(), size, false));
        }
        Election election = election(got);
        String electionName = electionName(got);
        Map<Long, byte[]> entries = entries(got, size);
        RegionTree tree = election.tree();
        files.put("api/v1/search-index.json", Document.of(JSON, new SearchIndex(tree).staticIndex(), size, false));
        Map<String, String> photos = new HashMap<>();
        for (int node = 0; node < tree.regionCount(); node++)
            for (Contest c : election.published()) {
                RecordingSource.Fetched doc = got.get("api/v1/regions/" + tree.code(node) + "/" + c.id() + ".json");
                if (doc == null || election.contest(c.id()) == null) continue;
                for (JsonNode child : json(doc.body()).path("children")) {
                    if (!child.path("level").asText().equals(RegionTree.TPS_LEVEL)) continue;
                    int tps = tree.index(child.path("code").asText());
                    if (tps < 0) throw new Refusal("a verified document names an unknown TPS " + child.path("code").asText());
                    Document d = child.has("seq")
                            ? TpsDetail.render(election, electionName, seq -> entry(entries, seq), child.get("seq").asLong())
                            : TpsDetail.none(election, tps, c.id(), size);
                    files.put("api/v1/tps/" + tree.code(tps) + "/" + c.id() + ".json", d);
                    for (JsonNode p : json(d.identity()).path("photos")) photos.put(p.path("sha256").asText(), "");
                }
            }
        for (String sha : photos.keySet()) files.put("photos/" + sha, photo(sha));
        return new MirrorSite(size, cp.body(), Map.copyOf(files), Map.copyOf(got), Instant.now());
    }

    private static final String JSON = "application/json; charset=utf-8";
    private static final String CHECKPOINT = "checkpoint";

    /** A photo, from the last verified site or the origin, served only if its bytes hash to its name. */
    private Document photo(String sha) throws Refusal {
        MirrorSite current = site;
        if (current != null && current.file("photos/" + sha) != null) return current.file("photos/" + sha);
        if (!PhotoStore.SHA256.matcher(sha).matches()) throw new Refusal("a sheet names a photo '" + sha + "' that is not a SHA-256");
        try {
            RecordingSource.Fetched f = new RecordingSource(origin, client, Map.of()).get("photos/" + sha);
            if (!PhotoStore.sha256(f.body()).equals(sha)) throw new Refusal("photos/" + sha + " does not hash to its name");
            String type = PhotoStore.imageType(f.body());
            return Document.of(type == null ? "application/octet-stream" : type, f.body(), 0, false);
        } catch (NotFoundException e) {
            // A sheet may name a photo whose upload has not finished: the TPS page shows it missing, as the origin does.
            return Document.of("text/plain", new byte[0], 0, false);
        } catch (SourceException e) {
            throw new Refusal(e.getMessage());
        }
    }

    private static Election election(Map<String, RecordingSource.Fetched> got) throws Refusal {
        try {
            ContestsJson.Setup c = ContestsJson.read(got.get("api/v1/setup/contests.json").body());
            var rows = RegionCsv.read(new BufferedReader(new InputStreamReader(
                    new ByteArrayInputStream(got.get("api/v1/setup/regions.csv").body()), StandardCharsets.UTF_8)));
            return new Setup(c.name(), c.rootName(), rows, c.contests()).election();
        } catch (Exception e) { // the verifier read the same files; this only guards against a change in its checks
            throw new Refusal("the set-up cannot be read: " + e.getMessage());
        }
    }

    private static String electionName(Map<String, RecordingSource.Fetched> got) throws Refusal {
        RecordingSource.Fetched e = got.get("api/v1/election.json");
        if (e == null) throw new Refusal("no election.json");
        return json(e.body()).path("election").asText();
    }

    /** The verified entries, from the entry bundles the verifier read. */
    private static Map<Long, byte[]> entries(Map<String, RecordingSource.Fetched> got, long size) {
        Map<Long, byte[]> out = new HashMap<>();
        for (var e : got.entrySet()) {
            if (!e.getKey().startsWith("tile/entries/")) continue;
            Tile t = TileLayout.parse(e.getKey()).orElse(null);
            if (t == null) continue;
            List<byte[]> bundle = EntryBundle.decode(e.getValue().body());
            long first = TileLayout.firstLeaf(t);
            for (int i = 0; i < bundle.size() && first + i < size; i++) out.putIfAbsent(first + i, bundle.get(i));
        }
        return out;
    }

    private static LogEntry entry(Map<Long, byte[]> entries, long seq) {
        byte[] b = entries.get(seq);
        if (b == null) throw new IllegalStateException("entry " + seq + " was not among the verified bundles");
        return new LogEntry(seq, b);
    }

    private static JsonNode json(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("a verified document is not JSON: " + e.getMessage(), e);
        }
    }

    private String unreachable(String problem) {
        unreachable++;
        // One event when the origin goes away, not one per poll while it stays away (the counter keeps counting).
        if (!lastOutcome.equals("origin_unreachable")) events.accept("mirror_origin_unreachable", new Object[] {"origin", origin.toString(), "problem", problem,
                "serving_log_size", site == null ? -1 : site.logSize()});
        return outcome("origin_unreachable", problem);
    }

    private String refuse(byte[] note, String why, String problem) {
        refused++;
        refusedCheckpoint = note;
        events.accept("mirror_refused", new Object[] {"origin", origin.toString(), "reason", why, "problem", problem,
                "serving_log_size", site == null ? -1 : site.logSize()});
        return outcome("refused", problem);
    }

    private String outcome(String outcome, String problem) {
        lastOutcome = outcome;
        lastProblem = problem;
        return outcome;
    }
}
