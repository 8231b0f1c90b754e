package org.rekap.publish;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the public side serves at one log size: documents by path; for each region with TPS children (keyed
 * {@code code/contest}) their CSV rows and the log position of each child's current sheet (by child position, -1
 * for none). Immutable; the publisher swaps whole snapshots, so a response built from one snapshot never mixes in
 * another. {@code checkpoint} is the signed checkpoint (C2SP tlog-checkpoint in a signed note) of the log at
 * {@code logSize}: every document of the snapshot can be checked against it.
 */
public record Snapshot(long logSize, Instant builtAt, Map<String, Document> documents, Map<String, byte[]> tpsRows,
        Map<String, long[]> tpsSeqs, Document checkpoint) {
    /** The log position of a TPS's current sheet in a contest, or -1 (none yet, or unknown TPS). */
    public long currentSeq(org.rekap.region.RegionTree tree, int tps, String contest) {
        int parent = tree.parent(tps);
        long[] seqs = tpsSeqs.get(tree.code(parent) + "/" + contest);
        if (seqs == null) return -1;
        for (int k = 0; k < tree.childCount(parent); k++) if (tree.child(parent, k) == tps) return seqs[k];
        return -1;
    }

    public Document document(String path) {
        return documents.get(path);
    }

    public static String regionPath(String code, String contest) {
        return "regions/" + code + "/" + contest + ".json";
    }

    public static String contestsPath(String code) {
        return "regions/" + code + ".json";
    }

    public static final String ELECTION = "election.json";
}
