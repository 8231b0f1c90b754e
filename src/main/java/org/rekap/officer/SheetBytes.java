package org.rekap.officer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/**
 * A tally sheet as compact bytes: every field in record order, numbers as varints (the int read as unsigned, 7 bits a
 * byte), texts as their UTF-8 length and bytes. A held DPR sheet takes about 250 bytes so, against some 2 KB as
 * objects (a boxed Integer per candidate count); the intake keeps the sheets held for review this way. Only this
 * process reads them back: it is not a format of the log.
 */
final class SheetBytes {
    private SheetBytes() {}

    static byte[] of(TallySheet s) {
        Out o = new Out();
        o.text(s.tps());
        o.text(s.contest());
        o.lists(s.registered());
        o.lists(s.voted());
        o.number(s.ballots().received());
        o.number(s.ballots().used());
        o.number(s.ballots().unused());
        o.number(s.ballots().damaged());
        o.number(s.votes().size());
        for (ChoiceVotes v : s.votes()) {
            o.number(v.choice());
            o.number(v.votes());
            o.number(v.total());
            o.number(v.candidates().size());
            for (int c : v.candidates()) o.number(c);
        }
        o.number(s.valid());
        o.number(s.invalid());
        o.number(s.cast());
        o.number(s.photos().size());
        for (String p : s.photos()) o.text(p);
        return o.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not what {@link #of} wrote */
    static TallySheet read(byte[] b) {
        In in = new In(b);
        try {
            String tps = in.text(), contest = in.text();
            VoterLists registered = in.lists(), voted = in.lists();
            Ballots ballots = new Ballots(in.number(), in.number(), in.number(), in.number());
            int choices = in.count();
            List<ChoiceVotes> votes = new ArrayList<>(choices);
            for (int i = 0; i < choices; i++) {
                int choice = in.number(), own = in.number(), total = in.number();
                int n = in.count();
                List<Integer> candidates = new ArrayList<>(n);
                for (int k = 0; k < n; k++) candidates.add(in.number());
                votes.add(new ChoiceVotes(choice, own, candidates, total));
            }
            int valid = in.number(), invalid = in.number(), cast = in.number();
            int n = in.count();
            List<String> photos = new ArrayList<>(n);
            for (int k = 0; k < n; k++) photos.add(in.text());
            if (in.pos != b.length) throw new IllegalArgumentException("bytes after the sheet");
            return new TallySheet(tps, contest, registered, voted, ballots, votes, valid, invalid, cast, photos);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the sheet's bytes end early", e);
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void number(int v) {
            while (v >>> 7 != 0) {
                write(v | 0x80);
                v >>>= 7;
            }
            write(v);
        }

        void text(String t) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            number(b.length);
            write(b, 0, b.length);
        }

        void lists(VoterLists l) {
            for (SexCount c : new SexCount[] {l.dpt(), l.dptb(), l.dpk(), l.total()}) {
                number(c.l());
                number(c.p());
                number(c.total());
            }
        }
    }

    private static final class In {
        private final byte[] b;
        private int pos;

        In(byte[] b) {
            this.b = b;
        }

        int number() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 28) throw new IllegalArgumentException("a number of more than 5 bytes");
                byte x = b[pos++];
                v |= (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
        }

        /** A list's length: bounded by the bytes left, so garbage cannot allocate much. */
        int count() {
            int n = number();
            if (n < 0 || n > b.length - pos) throw new IllegalArgumentException("a list of " + n);
            return n;
        }

        String text() {
            int n = count();
            String t = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return t;
        }

        SexCount sex() {
            return new SexCount(number(), number(), number());
        }

        VoterLists lists() {
            return new VoterLists(sex(), sex(), sex(), sex());
        }
    }
}
