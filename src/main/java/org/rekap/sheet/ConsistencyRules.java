package org.rekap.sheet;

import java.util.ArrayList;
import java.util.List;

/** Checks a sheet against every {@link Rule} and reports every violation, not just the first. */
public final class ConsistencyRules {
    private ConsistencyRules() {}

    public static List<Violation> check(TallySheet s) {
        List<Violation> out = new ArrayList<>();
        nonNegative(s, out);
        sexSums(s.registered(), "registered", out);
        sexSums(s.voted(), "voted", out);
        listSums(s.registered(), "registered", out);
        listSums(s.voted(), "voted", out);
        votedWithinRegistered(s, out);
        if (s.cast() > s.voters())
            out.add(new Violation(Rule.CAST_WITHIN_VOTERS, "cast",
                    "cast " + s.cast() + " > voters " + s.voters()));
        Ballots b = s.ballots();
        if ((long) b.used() + b.unused() + b.damaged() != b.received())
            out.add(new Violation(Rule.BALLOTS_SUM, "ballots.received", "used " + b.used() + " + unused " + b.unused()
                    + " + damaged " + b.damaged() + " = " + ((long) b.used() + b.unused() + b.damaged())
                    + ", written " + b.received()));
        if (s.cast() != b.used())
            out.add(new Violation(Rule.CAST_EQUALS_USED, "cast", "cast " + s.cast() + " != ballots used " + b.used()));
        if (s.voted().total().total() != b.used())
            out.add(new Violation(Rule.VOTED_EQUALS_USED, "voted.total.total",
                    "voted " + s.voted().total().total() + " != ballots used " + b.used()));
        if ((long) s.valid() + s.invalid() != s.cast())
            out.add(new Violation(Rule.CAST_SUM, "cast", "valid " + s.valid() + " + invalid " + s.invalid() + " = "
                    + ((long) s.valid() + s.invalid()) + ", written " + s.cast()));
        long validSum = 0;
        for (int i = 0; i < s.votes().size(); i++) {
            ChoiceVotes v = s.votes().get(i);
            long sum = v.votes();
            for (int c : v.candidates()) sum += c;
            if (sum != v.total())
                out.add(new Violation(Rule.CHOICE_SUM, "votes[" + i + "].total", "choice " + v.choice() + ": "
                        + v.votes() + " + candidates " + (sum - v.votes()) + " = " + sum + ", written " + v.total()));
            if (v.total() > s.voters())
                out.add(new Violation(Rule.CHOICE_WITHIN_VOTERS, "votes[" + i + "].total", "choice " + v.choice()
                        + " has " + v.total() + " votes, the TPS has " + s.voters() + " voters"));
            validSum += v.total();
        }
        if (validSum != s.valid())
            out.add(new Violation(Rule.VALID_SUM, "valid", "choices add up to " + validSum + ", written " + s.valid()));
        return out;
    }

    private static void nonNegative(TallySheet s, List<Violation> out) {
        SheetCounts.forEach(s, (field, value) -> {
            if (value < 0) out.add(new Violation(Rule.NON_NEGATIVE, field, field + " is " + value));
        });
    }

    private static void sexSums(VoterLists v, String prefix, List<Violation> out) {
        sexSum(v.dpt(), prefix + ".dpt", out);
        sexSum(v.dptb(), prefix + ".dptb", out);
        sexSum(v.dpk(), prefix + ".dpk", out);
        sexSum(v.total(), prefix + ".total", out);
    }

    private static void sexSum(SexCount c, String field, List<Violation> out) {
        if ((long) c.l() + c.p() != c.total())
            out.add(new Violation(Rule.SEX_SUM, field + ".total",
                    "L " + c.l() + " + P " + c.p() + " = " + ((long) c.l() + c.p()) + ", written " + c.total()));
    }

    private static void listSums(VoterLists v, String prefix, List<Violation> out) {
        long l = (long) v.dpt().l() + v.dptb().l() + v.dpk().l();
        long p = (long) v.dpt().p() + v.dptb().p() + v.dpk().p();
        long t = (long) v.dpt().total() + v.dptb().total() + v.dpk().total();
        listSum(l, v.total().l(), prefix + ".total.l", out);
        listSum(p, v.total().p(), prefix + ".total.p", out);
        listSum(t, v.total().total(), prefix + ".total.total", out);
    }

    private static void listSum(long sum, int written, String field, List<Violation> out) {
        if (sum != written)
            out.add(new Violation(Rule.LIST_SUM, field, "DPT + DPTb + DPK = " + sum + ", written " + written));
    }

    private static void votedWithinRegistered(TallySheet s, List<Violation> out) {
        within(s.voted().dpt(), s.registered().dpt(), "voted.dpt.total", out);
        within(s.voted().dptb(), s.registered().dptb(), "voted.dptb.total", out);
        within(s.voted().dpk(), s.registered().dpk(), "voted.dpk.total", out);
    }

    private static void within(SexCount voted, SexCount registered, String field, List<Violation> out) {
        if (voted.total() > registered.total())
            out.add(new Violation(Rule.VOTED_WITHIN_REGISTERED, field,
                    "voted " + voted.total() + " > registered " + registered.total()));
    }
}
