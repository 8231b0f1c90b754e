package org.rekap.officer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/**
 * SHA-256 over a device id and every field of a sheet, each length-prefixed, so that two digests are equal exactly
 * when device and sheet are (barring a SHA-256 collision). It lets {@link Intake} recognise a retried submission
 * without keeping millions of sheets in memory; it is never stored in the log.
 */
final class SheetDigest {
    private SheetDigest() {}

    static byte[] of(String device, TallySheet s) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Feed f = new Feed(md);
        f.text(device);
        f.text(s.tps());
        f.text(s.contest());
        f.lists(s.registered());
        f.lists(s.voted());
        f.number(s.ballots().received());
        f.number(s.ballots().used());
        f.number(s.ballots().unused());
        f.number(s.ballots().damaged());
        f.number(s.votes().size());
        for (ChoiceVotes v : s.votes()) {
            f.number(v.choice());
            f.number(v.votes());
            f.number(v.total());
            f.number(v.candidates().size());
            for (int c : v.candidates()) f.number(c);
        }
        f.number(s.valid());
        f.number(s.invalid());
        f.number(s.cast());
        f.number(s.photos().size());
        for (String p : s.photos()) f.text(p);
        return md.digest();
    }

    private record Feed(MessageDigest md) {
        void number(int v) {
            md.update((byte) (v >>> 24));
            md.update((byte) (v >>> 16));
            md.update((byte) (v >>> 8));
            md.update((byte) v);
        }

        void text(String t) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            number(b.length);
            md.update(b);
        }

        void lists(VoterLists l) {
            for (SexCount c : new SexCount[] {l.dpt(), l.dptb(), l.dpk(), l.total()}) {
                number(c.l());
                number(c.p());
                number(c.total());
            }
        }
    }
}
