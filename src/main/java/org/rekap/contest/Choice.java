package org.rekap.contest;

import java.util.List;

/**
 * One line of the ballot, by ballot number: a candidate pair (PPWP), a candidate (DPD), or a party with its
 * candidates (DPR, DPRD). Non-party choices have no candidates.
 */
public record Choice(int number, String name, List<Candidate> candidates) {
    public Choice {
        candidates = List.copyOf(candidates);
    }
}
