package org.rekap.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * Documents rendered lazily from a snapshot's frozen views are the bytes the tally's numbers give when rendered
 * straight away (as every document was before views existed), for every region and contest of an election with held
 * sheets, replaced sheets and a shallow overseas branch; an old snapshot keeps its numbers after the tally moves on;
 * tags follow the content.
 */
class PublisherTest {
    private static final NoteSigner SIGNER = NoteSigner.generate("rekap.test/publish", new SecureRandom());
    private final SyntheticElection synthetic = SyntheticElection.of(Scale.SMALL, 3);
    private final Election election = synthetic.election();
    private final RegionTree tree = election.tree();
    private final Tally tally = new Tally(election);
    private final List<byte[]> leaves = new ArrayList<>();
    /** Each applied sheet: seq, TPS, published contest index, counted (1) or held. */
    private final List<long[]> applied = new ArrayList<>();
    private final InMemoryHashStore hashes = new InMemoryHashStore();
    private MerkleTree merkle = new MerkleTree(hashes, 0);

    @Test
    void everyDocumentAndDownloadIsWhatTheTallyRendersStraightAway() {
        Publisher p = publisher();
        submit(new SplittableRandom(1), 0.6);
        p.refresh();
        Snapshot first = p.snapshot();
        Map<String, byte[]> before = expectAll(first);
        int deep = 0;
        for (var e : before.entrySet()) deep += first.document(e.getKey()).kept() ? 0 : 1;
        assertThat(deep).as("deep documents are rendered on request").isGreaterThan(before.size() / 2);

        // More sheets, some replacing earlier ones: the new snapshot follows, the old one keeps what it showed.
        submit(new SplittableRandom(2), 0.9);
        p.refresh();
        Snapshot second = p.snapshot();
        Map<String, byte[]> after = expectAll(second);
        int changed = 0;
        for (var e : before.entrySet()) {
            Document old = first.document(e.getKey());
            assertThat(old.identity()).as(e.getKey()).isEqualTo(e.getValue());
            Document now = second.document(e.getKey());
            boolean same = java.util.Arrays.equals(e.getValue(), after.get(e.getKey()));
            if (!same) changed++;
            if (!old.kept() || !now.kept()) assertThat(now.etag().equals(old.etag())).as(e.getKey()).isEqualTo(same);
        }
        assertThat(changed).isGreaterThan(10);
    }

    @Test
    void aRestartedPublisherGivesTheSameTagsAndBytes() {
        submit(new SplittableRandom(4), 0.7);
        Publisher a = publisher();
        a.refresh();
        // The same log applied to a fresh tally, as a restarted server does.
        Tally again = new Tally(election);
        for (long[] s : applied) again.set(s[0], synthetic.sheet((int) s[1], election.published().get((int) s[2])), s[3] == 1);
        again.advanceTo(leaves.size());
        Publisher b = new Publisher(again, "Test", new LogSigning(SIGNER, () -> merkle));
        b.refresh();
        assertThat(a.snapshot().documents()).hasSameSizeAs(b.snapshot().documents()).hasSizeGreaterThan(100);
        for (var e : a.snapshot().documents().entrySet()) {
            Document d = b.snapshot().document(e.getKey());
            assertThat(d.etag()).as(e.getKey()).isEqualTo(e.getValue().etag());
            assertThat(d.identity()).as(e.getKey()).isEqualTo(e.getValue().identity());
            assertThat(gunzip(d.gzip())).as(e.getKey()).isEqualTo(e.getValue().identity());
        }
    }

    /** Checks every region document and download of a snapshot against a direct rendering; returns the documents. */
    private Map<String, byte[]> expectAll(Snapshot s) {
        Map<String, byte[]> docs = new HashMap<>();
        for (Contest c : election.published()) {
            for (int node = 0; node < tree.regionCount(); node++) {
                String path = Snapshot.regionPath(tree.code(node), c.id());
                Document d = s.document(path);
                if (!tally.has(c.id(), node)) {
                    assertThat(d).as(path).isNull();
                    continue;
                }
                DocumentWriter.RegionView v = direct(c, node);
                byte[] expected = DocumentWriter.region(election, "Test", v);
                assertThat(new String(d.identity(), StandardCharsets.UTF_8)).as(path)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                docs.put(path, expected);
                if (v.childStatus() != null) {
                    for (int i = 0; i < v.children().size(); i++) {
                        int kid = v.children().get(i).node();
                        if (tree.isTps(kid)) assertThat(s.currentSeq(tree, kid, c.id())).isEqualTo(v.childSeq()[i]);
                    }
                }
            }
            assertThat(download(s, c)).as(c.id()).isEqualTo(expectedDownload(c));
        }
        assertThat(s.document(Snapshot.regionPath("nope", "ppwp"))).isNull();
        assertThat(s.document(Snapshot.regionPath(tree.code(0), "nope"))).isNull();
        assertThat(s.document(Snapshot.regionPath(tree.code(tree.regionCount()), "ppwp"))).as("a TPS").isNull();
        return docs;
    }

    /** A region's view as the tally gives it now, without frozen views: the rendering every document once had. */
    private DocumentWriter.RegionView direct(Contest c, int node) {
        List<Integer> kids = tally.children(c.id(), node);
        List<Totals> children = new ArrayList<>();
        for (int k : kids) children.add(tally.totals(c.id(), k));
        List<SheetStatus> status = null;
        long[] seqs = null;
        if (kids.stream().anyMatch(tree::isTps)) {
            status = new ArrayList<>();
            seqs = new long[kids.size()];
            for (int i = 0; i < kids.size(); i++) {
                status.add(tally.status(c.id(), kids.get(i)));
                seqs[i] = tree.isTps(kids.get(i)) ? tally.currentSeq(c.id(), kids.get(i)) : -1;
            }
        }
        return new DocumentWriter.RegionView(c, tally.totals(c.id(), node), children, status, seqs, tally.changedAt(c.id(), node));
    }

    private String download(Snapshot s, Contest c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Iterator<byte[]> it = Downloads.csv(s, election, tree.code(0), c.id()); it.hasNext(); ) out.writeBytes(it.next());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String expectedDownload(Contest c) {
        StringBuilder sb = new StringBuilder(TpsCsv.header(c));
        for (int node = 0; node < tree.regionCount(); node++) {
            if (!tally.has(c.id(), node)) continue;
            DocumentWriter.RegionView v = direct(c, node);
            if (v.childStatus() != null)
                sb.append(new String(TpsCsv.rows(tree, c, v.children(), v.childStatus()), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static byte[] gunzip(byte[] gz) {
        try {
            return new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Publisher publisher() {
        return new Publisher(tally, "Test", new LogSigning(SIGNER, () -> merkle));
    }

    /** Applies the sheets of a random share of TPS and contests (anomalous ones held), each as the log's next entry. */
    private void submit(SplittableRandom rnd, double share) {
        for (int t = tree.regionCount(); t < tree.size(); t++)
            for (Contest c : election.contestsAt(t)) {
                if (rnd.nextDouble() >= share) continue;
                long seq = leaves.size();
                leaves.add(MerkleHash.leaf(("entry " + seq).getBytes(StandardCharsets.UTF_8)));
                boolean counted = !synthetic.isAnomalous(t, c);
                tally.set(seq, synthetic.sheet(t, c), counted);
                applied.add(new long[] {seq, t, election.published().indexOf(c), counted ? 1 : 0});
            }
        hashes.putAll(merkle.hashesToAppend(leaves.subList((int) merkle.size(), leaves.size())));
        merkle = merkle.withSize(leaves.size());
        tally.advanceTo(leaves.size());
    }
}
