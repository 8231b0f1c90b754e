package org.rekap.sheet;

/** Visits every count written on a sheet with its field path, so that per-count checks need no field list. */
public final class SheetCounts {
    /** Receives one count and where it sits, e.g. {@code registered.dpt.l} or {@code votes[2].candidates[0]}. */
    @FunctionalInterface
    public interface Visitor {
        void count(String field, int value);
    }

    private SheetCounts() {}

    public static void forEach(TallySheet s, Visitor v) {
        lists(s.registered(), "registered", v);
        lists(s.voted(), "voted", v);
        v.count("ballots.received", s.ballots().received());
        v.count("ballots.used", s.ballots().used());
        v.count("ballots.unused", s.ballots().unused());
        v.count("ballots.damaged", s.ballots().damaged());
        for (int i = 0; i < s.votes().size(); i++) {
            ChoiceVotes c = s.votes().get(i);
            v.count("votes[" + i + "].votes", c.votes());
            for (int k = 0; k < c.candidates().size(); k++) v.count("votes[" + i + "].candidates[" + k + "]", c.candidates().get(k));
            v.count("votes[" + i + "].total", c.total());
        }
        v.count("valid", s.valid());
        v.count("invalid", s.invalid());
        v.count("cast", s.cast());
    }

    private static void lists(VoterLists l, String f, Visitor v) {
        sex(l.dpt(), f + ".dpt", v);
        sex(l.dptb(), f + ".dptb", v);
        sex(l.dpk(), f + ".dpk", v);
        sex(l.total(), f + ".total", v);
    }

    private static void sex(SexCount c, String f, Visitor v) {
        v.count(f + ".l", c.l());
        v.count(f + ".p", c.p());
        v.count(f + ".total", c.total());
    }
}
