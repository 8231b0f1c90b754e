package org.rekap.publish;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the public side serves at one log size: documents by path, and the CSV rows of each region whose
 * children are TPS (keyed {@code code/contest}). Immutable; the publisher swaps whole snapshots, so a response built
 * from one snapshot never mixes in another.
 */
public record Snapshot(long logSize, Instant builtAt, Map<String, Document> documents, Map<String, byte[]> tpsRows) {
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
