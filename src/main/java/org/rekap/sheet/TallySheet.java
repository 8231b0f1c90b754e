package org.rekap.sheet;

import java.util.List;

/**
 * One TPS's formulir C.Hasil for one contest, exactly as written on the paper: every count the officer copied, the
 * totals as written (not as computed: a wrong total is evidence), and the SHA-256 of each page's photo.
 */
public record TallySheet(
        String tps,
        String contest,
        VoterLists registered,
        VoterLists voted,
        Ballots ballots,
        List<ChoiceVotes> votes,
        int valid,
        int invalid,
        int cast,
        List<String> photos) {
    public TallySheet {
        votes = List.copyOf(votes);
        photos = List.copyOf(photos);
    }

    /** All registered voters of the TPS on the day: DPT + DPTb + DPK as the form's total row writes it. */
    public int voters() {
        return registered.total().total();
    }
}
