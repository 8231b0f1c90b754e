package org.rekap.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.TallySheet;

/**
 * A recount of the log's sheets done without the server's tally: the harness's own sums over the sheets of each TPS,
 * in the shape of a public region document's {@code totals}. The harness writes no reviews and revokes no device, so a
 * sheet is counted exactly when it breaks no consistency rule (and held otherwise), and a TPS has at most one sheet per
 * contest.
 */
final class Recount {
    /** The numbers of one region for one contest, as docs/api.md names them. */
    record Totals(long tpsCounted, long tpsHeld, long voted, long valid, long invalid, long cast, long[] choices) {
        List<String> differences(com.fasterxml.jackson.databind.JsonNode published) {
            List<String> out = new ArrayList<>();
            compare(out, "progress.tpsCounted", tpsCounted, published.path("progress").path("tpsCounted"));
            compare(out, "progress.tpsHeld", tpsHeld, published.path("progress").path("tpsHeld"));
            compare(out, "voted", voted, published.path("voted"));
            compare(out, "valid", valid, published.path("valid"));
            compare(out, "invalid", invalid, published.path("invalid"));
            compare(out, "cast", cast, published.path("cast"));
            var ch = published.path("choices");
            if (!ch.isArray() || ch.size() != choices.length)
                out.add("choices: expected " + choices.length + " numbers, found " + ch);
            else for (int i = 0; i < choices.length; i++) compare(out, "choices[" + i + "]", choices[i], ch.get(i));
            return out;
        }

        private static void compare(List<String> out, String field, long expected, com.fasterxml.jackson.databind.JsonNode found) {
            if (!found.isIntegralNumber() || found.asLong() != expected)
                out.add(field + ": recount " + expected + ", published " + (found.isMissingNode() ? "nothing" : found));
        }
    }

    private final Election election;
    /** Each TPS's sheet per contest, by contest id then TPS index. */
    private final Map<String, Map<Integer, TallySheet>> sheets = new HashMap<>();

    Recount(Election election) {
        this.election = election;
    }

    /** Adds a sheet from the log; false when its TPS already had one for the contest (which this log must not hold). */
    boolean add(TallySheet s) {
        int tps = election.tree().index(s.tps());
        return sheets.computeIfAbsent(s.contest(), k -> new HashMap<>()).putIfAbsent(tps, s) == null;
    }

    Totals totals(Contest contest, int region) {
        RegionTree tree = election.tree();
        long counted = 0, held = 0, voted = 0, valid = 0, invalid = 0, cast = 0;
        long[] choices = new long[contest.choices().size()];
        for (var e : sheets.getOrDefault(contest.id(), Map.of()).entrySet()) {
            if (!tree.within(e.getKey(), region)) continue;
            TallySheet s = e.getValue();
            if (!ConsistencyRules.check(s).isEmpty()) {
                held++;
                continue;
            }
            counted++;
            voted += s.voted().total().total();
            valid += s.valid();
            invalid += s.invalid();
            cast += s.cast();
            for (int i = 0; i < choices.length; i++) {
                ChoiceVotes v = s.votes().get(i);
                choices[i] += v.votes();
                for (int c : v.candidates()) choices[i] += c;
            }
        }
        return new Totals(counted, held, voted, valid, invalid, cast, choices);
    }
}
