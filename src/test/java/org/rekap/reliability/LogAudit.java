package org.rekap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.Json;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.Entry;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteException;
import org.rekap.ledger.NoteVerifier;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.officer.DeviceKeys;
import org.rekap.region.RegionTree;

/**
 * What a restarted server must show, read through its public interface only (the signed checkpoint, the log's entry
 * bundles, the consistency proofs, the region documents) and checked against what the harness itself recorded:
 *
 * <ul>
 *   <li><b>lost</b>: an acknowledged sheet missing from the log, or not byte for byte the entry its receipt promised;
 *       an acknowledged enrolment not at the position its receipt gave;
 *   <li><b>bad entries</b>: an entry that does not decode (a torn write), is not canonical, is signed by no enrolled
 *       device, or repeats a submission or a TPS's sheet; the entries' Merkle root differs from the signed one;
 *   <li><b>recount mismatches</b>: a published total (the nation and the regions asked for) that differs from the
 *       harness's own recount of the log's sheets;
 *   <li><b>inconsistent checkpoints</b>: an earlier checkpoint (seen by any earlier trial, before or after a crash)
 *       that is larger than the new one, whose root is not the root of the new tree at its size, or for which the
 *       server's consistency proof does not verify.
 * </ul>
 */
final class LogAudit {
    /** What the audit found; empty lists mean the server kept every promise. */
    record Result(Checkpoint checkpoint, long entries, long sheets, int documentsCompared, int checkpointsCompared,
            List<String> lost, List<String> badEntries, List<String> recountMismatches, List<String> inconsistent) {
        boolean ok() {
            return lost.isEmpty() && badEntries.isEmpty() && recountMismatches.isEmpty() && inconsistent.isEmpty();
        }

        List<String> problems() {
            List<String> all = new ArrayList<>();
            lost.forEach(p -> all.add("lost: " + p));
            badEntries.forEach(p -> all.add("bad entry: " + p));
            recountMismatches.forEach(p -> all.add("recount: " + p));
            inconsistent.forEach(p -> all.add("checkpoint: " + p));
            return all;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final NoteVerifier verifier;
    private final String origin;
    private final Election election;

    LogAudit(HttpClient http, URI publicBase, NoteVerifier verifier, String origin, Election election) {
        this.http = http;
        this.base = publicBase;
        this.verifier = verifier;
        this.origin = origin;
        this.election = election;
    }

    /**
     * Audits a server that nothing writes to while the audit runs (so its snapshot, checkpoint and log agree).
     *
     * @param acks every sheet acknowledged so far, in any trial
     * @param enrolments every enrolment acknowledged so far: device id to log position
     * @param earlier every checkpoint seen so far, in any trial
     * @param regions region codes whose published totals are compared with the recount (the root is always added)
     */
    Result audit(Collection<Load.Ack> acks, Map<String, Long> enrolments, Collection<CheckpointWatch.Seen> earlier,
            Collection<String> regions)
            throws IOException, InterruptedException {
        List<String> lost = new ArrayList<>(), bad = new ArrayList<>(), recount = new ArrayList<>(),
                inconsistent = new ArrayList<>();
        byte[] note = get("checkpoint");
        Checkpoint cp;
        try {
            cp = Checkpoints.open(note, verifier, origin);
        } catch (NoteException e) {
            inconsistent.add("the restarted server's checkpoint does not verify: " + e.getMessage());
            return new Result(null, 0, 0, 0, 0, lost, bad, recount, inconsistent);
        }
        long published = Json.MAPPER.readTree(get("api/v1/election.json")).path("logSize").asLong(-1);
        if (published != cp.size())
            inconsistent.add("election.json publishes logSize " + published + " but the checkpoint has size " + cp.size()
                    + " (nothing was writing)");

        List<byte[]> entries = new ArrayList<>((int) cp.size());
        for (Tile t : TileLayout.entryBundles(cp.size())) {
            List<byte[]> bundle = EntryBundle.decode(get(t.path()));
            if (bundle.size() != t.width())
                bad.add("entry bundle " + t.path() + " holds " + bundle.size() + " entries, not " + t.width());
            entries.addAll(bundle);
        }
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(hashes, 0);
        List<byte[]> leaves = new ArrayList<>(entries.size());
        for (byte[] e : entries) leaves.add(MerkleHash.leaf(e));
        hashes.putAll(tree.hashesToAppend(leaves));
        tree = tree.withSize(entries.size());
        if (entries.size() != cp.size() || !Arrays.equals(tree.root(), cp.rootHash()))
            bad.add("the " + entries.size() + " entries served do not hash to the signed root of size " + cp.size());

        // Every entry whole, canonical, signed by an enrolled device, and no sheet twice.
        Map<String, byte[]> keys = new HashMap<>();
        Set<String> submissions = new HashSet<>();
        Recount counts = new Recount(election);
        long sheets = 0;
        for (int seq = 0; seq < entries.size(); seq++) {
            byte[] bytes = entries.get(seq);
            Entry entry;
            try {
                entry = EntryCodec.decode(bytes);
            } catch (RuntimeException e) {
                bad.add("entry " + seq + " does not decode (" + e.getMessage() + "): a partial write?");
                continue;
            }
            if (!Arrays.equals(EntryCodec.encode(entry), bytes)) bad.add("entry " + seq + " is not in canonical form");
            switch (entry) {
                case DeviceEnrolled d -> {
                    if (keys.putIfAbsent(d.device(), d.publicKey()) != null) bad.add("entry " + seq + " enrols " + d.device() + " again");
                }
                case SheetSubmitted s -> {
                    sheets++;
                    byte[] key = keys.get(s.device());
                    if (key == null) bad.add("entry " + seq + " is a sheet from device " + s.device() + ", not enrolled before it");
                    else if (!DeviceKeys.verify(key, SignedPayloads.sheet(s.submissionId(), s.sheet()), s.signature()))
                        bad.add("entry " + seq + " carries a signature that does not verify");
                    if (!submissions.add(s.submissionId()))
                        bad.add("entry " + seq + " repeats submission " + s.submissionId() + ": a retry became a second entry");
                    else if (!counts.add(s.sheet()))
                        bad.add("entry " + seq + " is a second sheet for TPS " + s.sheet().tps() + " " + s.sheet().contest());
                }
                default -> bad.add("entry " + seq + " is a " + entry.type() + ", which this harness never sends");
            }
        }

        // Every acknowledged sheet is there, exactly as its receipt said.
        for (Load.Ack a : acks) {
            Submission s = a.submission();
            if (a.seq() < 0 || a.seq() >= entries.size()) {
                lost.add(s.id() + " was acknowledged at entry " + a.seq() + " but the log has " + entries.size() + " entries");
                continue;
            }
            byte[] expected = EntryCodec.encode(new SheetSubmitted(s.id(), a.receivedAt(), s.sheet(), s.officer().device(),
                    s.signature()));
            if (!Arrays.equals(expected, entries.get((int) a.seq())))
                lost.add(s.id() + " was acknowledged at entry " + a.seq() + " but that entry holds something else");
        }

        for (var e : enrolments.entrySet()) {
            long seq = e.getValue();
            if (seq < 0 || seq >= entries.size() || !(decodes(entries.get((int) seq)) instanceof DeviceEnrolled d)
                    || !d.device().equals(e.getKey()))
                lost.add("the enrolment of device " + e.getKey() + " was acknowledged at entry " + seq + " but is not there");
        }

        // The published totals are the recount.
        Set<String> codes = new LinkedHashSet<>();
        codes.add(RegionTree.ROOT_CODE);
        codes.addAll(regions);
        int documents = 0;
        RegionTree regionTree = election.tree();
        for (String code : codes) {
            int node = regionTree.index(code);
            for (Contest c : election.contestsAt(node)) {
                JsonNode doc = Json.MAPPER.readTree(get("api/v1/regions/" + code + "/" + c.id() + ".json"));
                documents++;
                for (String d : counts.totals(c, node).differences(doc.path("totals")))
                    recount.add("regions/" + code + "/" + c.id() + ".json " + d);
            }
        }

        // Every checkpoint ever seen is a prefix of this one.
        Set<Long> proved = new HashSet<>();
        int compared = 0;
        for (CheckpointWatch.Seen s : earlier) {
            Checkpoint old = s.checkpoint();
            compared++;
            if (old.size() > cp.size()) {
                inconsistent.add("trial " + s.trial() + " saw size " + old.size() + "; after the restart the log has " + cp.size());
                continue;
            }
            if (!Arrays.equals(old.rootHash(), tree.root(old.size())))
                inconsistent.add("trial " + s.trial() + " saw root " + b64(old.rootHash()) + " at size " + old.size()
                        + "; the log's first " + old.size() + " entries hash to " + b64(tree.root(old.size())));
            else if (old.size() > 0 && proved.add(old.size()) && !serverProves(old, cp))
                inconsistent.add("the server's consistency proof from size " + old.size() + " to " + cp.size() + " does not verify");
        }
        return new Result(cp, entries.size(), sheets, documents, compared, lost, bad, recount, inconsistent);
    }

    private static Entry decodes(byte[] bytes) {
        try {
            return EntryCodec.decode(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private boolean serverProves(Checkpoint old, Checkpoint now) throws IOException, InterruptedException {
        JsonNode p = Json.MAPPER.readTree(get("api/v1/proof/consistency.json?from=" + old.size() + "&to=" + now.size()));
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode h : p.path("proof")) proof.add(Base64.getDecoder().decode(h.asText()));
        return MerkleTree.verifyConsistency(old.size(), now.size(), old.rootHash(), now.rootHash(), proof);
    }

    private byte[] get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("GET /" + path + " answered " + r.statusCode());
        return r.body();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
