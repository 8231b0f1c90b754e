package org.rekap.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * Keeps the public documents current. {@link #refresh} copies what changed out of the tally (holding its monitor
 * briefly), renders outside the lock, and replaces each changed document in one reference swap, so a reader gets
 * either the old bytes or the new, never a mix. Only documents of regions whose totals changed are rebuilt.
 */
public final class Publisher {
    private final Tally tally;
    private final Election election;
    private final String electionName;
    private final Map<String, Document> documents = new ConcurrentHashMap<>();
    private volatile Document electionDocument;
    private volatile long publishedSize = -1;

    public Publisher(Tally tally, String electionName) {
        this.tally = tally;
        this.election = tally.election();
        this.electionName = electionName;
        RegionTree tree = election.tree();
        for (int node = 0; node < tree.regionCount(); node++) {
            List<String> ids = new ArrayList<>();
            for (Contest c : election.contests()) if (tally.has(c.id(), node)) ids.add(c.id());
            documents.put(contestsKey(tree.code(node)), document(DocumentWriter.contestsAt(tree, node, ids), 0));
        }
    }

    /** Renders every region document whose numbers changed since the last refresh. Called by one thread. */
    public void refresh() {
        List<DocumentWriter.RegionView> views = new ArrayList<>();
        long size;
        RegionTree tree = election.tree();
        synchronized (tally) {
            size = tally.logSize();
            for (Contest c : election.contests()) {
                for (int node : tally.drainDirty(c.id())) {
                    List<Integer> kids = tally.children(c.id(), node);
                    List<Totals> children = new ArrayList<>(kids.size());
                    List<SheetStatus> status = null;
                    for (int k : kids) children.add(tally.totals(c.id(), k));
                    if (!kids.isEmpty() && tree.isTps(kids.getFirst())) {
                        status = new ArrayList<>(kids.size());
                        for (int k : kids) status.add(tally.status(c.id(), k));
                    }
                    views.add(new DocumentWriter.RegionView(c, tally.totals(c.id(), node), children, status, size));
                }
            }
        }
        // Rendering is pure and per document: use every core (the first refresh after a start renders them all).
        final long at = size;
        views.parallelStream().forEach(v -> documents.put(regionKey(tree.code(v.totals().node()), v.contest().id()),
                document(DocumentWriter.region(election, electionName, v), at)));
        if (size != publishedSize) {
            electionDocument = document(DocumentWriter.election(election, electionName, size), size);
            publishedSize = size;
        }
    }

    /** The region document, or null when there is none (unknown region, or the contest has nothing there). */
    public Document region(String regionCode, String contestId) {
        return documents.get(regionKey(regionCode, contestId));
    }

    /** Which contests have documents at a region, or null for an unknown region. */
    public Document contestsAt(String regionCode) {
        return documents.get(contestsKey(regionCode));
    }

    public Document election() {
        return electionDocument;
    }

    /** Log size reflected by the latest refresh. */
    public long publishedSize() {
        return publishedSize;
    }

    private static String regionKey(String code, String contest) {
        return code + "/" + contest;
    }

    private static String contestsKey(String code) {
        return code + "/";
    }

    private static Document document(byte[] body, long size) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return new Document(body, "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"", size);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
