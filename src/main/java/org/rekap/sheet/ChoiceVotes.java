package org.rekap.sheet;

import java.util.List;

/**
 * Valid votes for one ballot choice. {@code votes} are the votes for the choice itself (a pair, a DPD candidate, or
 * the party only); {@code candidates} are the votes for each of a party's candidates in ballot order (empty for
 * non-party choices); {@code total} is what the form writes as the choice's total.
 */
public record ChoiceVotes(int choice, int votes, List<Integer> candidates, int total) {
    public ChoiceVotes {
        candidates = List.copyOf(candidates);
    }

    public static ChoiceVotes single(int choice, int votes) {
        return new ChoiceVotes(choice, votes, List.of(), votes);
    }

    public static ChoiceVotes party(int choice, int partyOnly, List<Integer> candidates) {
        int total = partyOnly;
        for (int v : candidates) total += v;
        return new ChoiceVotes(choice, partyOnly, candidates, total);
    }
}
