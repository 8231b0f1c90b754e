package org.rekap.contest;

import java.util.List;

/**
 * A contest: its kind, its district (the codes of the regions it covers; the root code covers everything) and its
 * choices in ballot order.
 */
public record Contest(String id, ContestKind kind, String name, List<String> district, List<Choice> choices) {
    public Contest {
        district = List.copyOf(district);
        choices = List.copyOf(choices);
    }

    /** Position of the choice with this ballot number, or -1. */
    public int choiceIndex(int number) {
        for (int i = 0; i < choices.size(); i++) if (choices.get(i).number() == number) return i;
        return -1;
    }

    /** Candidates over all choices: the width of a per-candidate tally. */
    public int candidateCount() {
        int n = 0;
        for (Choice c : choices) n += c.candidates().size();
        return n;
    }
}
