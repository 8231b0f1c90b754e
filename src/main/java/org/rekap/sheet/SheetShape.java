package org.rekap.sheet;

import java.util.ArrayList;
import java.util.List;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;

/**
 * Whether a sheet can be a C.Hasil of this election at all: a known TPS and contest, the TPS inside the contest's
 * district, exactly the contest's choices in ballot order, and no count negative or impossibly large. A sheet that
 * fails here is refused and nothing is stored; one that passes may still break a {@link Rule} and be held.
 */
public final class SheetShape {
    /** The legal maximum of voters at one TPS (2024); a TPS whose DPT is unknown is assumed to have this many. */
    public static final int TPS_VOTER_CAP = 300;
    /**
     * How far beyond the TPS's voters a count may go and still be kept as an anomaly to review. A misread digit (17
     * read as 817) must be kept as evidence; a count of 9 digits is garbage.
     */
    public static final int IMPOSSIBLE_FACTOR = 10;

    private SheetShape() {}

    public static List<FieldError> check(TallySheet s, Election election, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        RegionTree tree = election.tree();
        int tps = tree.index(s.tps());
        Contest contest = election.contest(s.contest());
        if (tps < 0 || !tree.isTps(tps))
            errors.add(new FieldError(prefix + "tps", "unknown_tps", "no TPS has code '" + s.tps() + "'"));
        if (contest == null)
            errors.add(new FieldError(prefix + "contest", "unknown_contest", "no contest has id '" + s.contest() + "'"));
        if (!errors.isEmpty()) return errors;
        if (!election.covers(contest, tps))
            errors.add(new FieldError(prefix + "tps", "outside_district",
                    "TPS " + s.tps() + " does not vote in contest " + contest.id()));
        int limit = Math.max(TPS_VOTER_CAP, tree.dpt(tps)) * IMPOSSIBLE_FACTOR;
        checkCounts(s, prefix, limit, errors);
        List<Choice> choices = contest.choices();
        if (s.votes().size() != choices.size()) {
            errors.add(new FieldError(prefix + "votes", "choices_mismatch", "contest " + contest.id() + " has "
                    + choices.size() + " choices, the sheet has " + s.votes().size()));
            return errors;
        }
        for (int i = 0; i < choices.size(); i++) {
            Choice expected = choices.get(i);
            ChoiceVotes got = s.votes().get(i);
            String f = prefix + "votes[" + i + "]";
            if (got.choice() != expected.number()) {
                errors.add(new FieldError(f + ".choice", contest.choiceIndex(got.choice()) < 0 ? "unknown_choice" : "choice_order",
                        "position " + i + " must hold choice " + expected.number() + ", got " + got.choice()));
            }
            if (got.candidates().size() != expected.candidates().size()) {
                errors.add(new FieldError(f + ".candidates", "candidates_mismatch", "choice " + expected.number()
                        + " has " + expected.candidates().size() + " candidates, the sheet has " + got.candidates().size()));
            }
        }
        return errors;
    }

    private static void checkCounts(TallySheet s, String prefix, int limit, List<FieldError> errors) {
        SheetCounts.forEach(s, (field, value) -> {
            if (value < 0)
                errors.add(new FieldError(prefix + field, "non_negative", "must be 0 or more, got " + value));
            else if (value > limit)
                errors.add(new FieldError(prefix + field, "impossible_count",
                        value + " is far beyond the TPS's voters (limit " + limit + ")"));
        });
    }
}
