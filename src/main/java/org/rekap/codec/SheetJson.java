package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/** The JSON form of a {@link TallySheet}, as officers send it and as the log stores it (see docs/formats.md). */
public final class SheetJson {
    private static final Set<String> SHEET_FIELDS =
            Set.of("tps", "contest", "registered", "voted", "ballots", "votes", "valid", "invalid", "cast", "photos");
    private static final Set<String> LISTS_FIELDS = Set.of("dpt", "dptb", "dpk", "total");
    private static final Set<String> SEX_FIELDS = Set.of("l", "p", "total");
    private static final Set<String> BALLOT_FIELDS = Set.of("received", "used", "unused", "damaged");
    private static final Set<String> VOTE_FIELDS = Set.of("choice", "votes", "candidates", "total");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_CHOICES = 100;
    static final int MAX_CANDIDATES = 200;
    static final int MAX_PHOTOS = 10;

    private SheetJson() {}

    /** A parsed sheet, or the errors that kept it from parsing (then sheet is null). */
    public record Parsed(TallySheet sheet, List<FieldError> errors) {}

    public static Parsed read(JsonNode node, String path) {
        FieldReader r = new FieldReader();
        TallySheet sheet = read(node, path, r);
        return r.errors().isEmpty() ? new Parsed(sheet, List.of()) : new Parsed(null, List.copyOf(r.errors()));
    }

    static TallySheet read(JsonNode node, String path, FieldReader r) {
        JsonNode o = r.object(node, path, SHEET_FIELDS);
        if (o == null) return null;
        String tps = r.text(o, "tps", path, 64);
        String contest = r.text(o, "contest", path, 64);
        VoterLists registered = lists(o.get("registered"), FieldReader.join(path, "registered"), r);
        VoterLists voted = lists(o.get("voted"), FieldReader.join(path, "voted"), r);
        Ballots ballots = null;
        String bp = FieldReader.join(path, "ballots");
        JsonNode b = r.object(o.get("ballots"), bp, BALLOT_FIELDS);
        if (b != null)
            ballots = new Ballots(r.integer(b, "received", bp), r.integer(b, "used", bp),
                    r.integer(b, "unused", bp), r.integer(b, "damaged", bp));
        List<ChoiceVotes> votes = new ArrayList<>();
        List<JsonNode> vs = r.array(o, "votes", path, false, MAX_CHOICES);
        for (int i = 0; i < vs.size(); i++) {
            String vp = FieldReader.join(path, "votes") + "[" + i + "]";
            JsonNode v = r.object(vs.get(i), vp, VOTE_FIELDS);
            if (v == null) continue;
            List<Integer> candidates = new ArrayList<>();
            List<JsonNode> cs = r.array(v, "candidates", vp, true, MAX_CANDIDATES);
            for (int k = 0; k < cs.size(); k++) {
                JsonNode c = cs.get(k);
                String cp = vp + ".candidates[" + k + "]";
                if (!c.isIntegralNumber()) r.error(cp, "type", "must be a whole number");
                else if (!c.canConvertToInt()) r.error(cp, "range", "must fit in a 32-bit integer");
                else candidates.add(c.intValue());
            }
            votes.add(new ChoiceVotes(r.integer(v, "choice", vp), r.integer(v, "votes", vp), candidates, r.integer(v, "total", vp)));
        }
        int valid = r.integer(o, "valid", path);
        int invalid = r.integer(o, "invalid", path);
        int cast = r.integer(o, "cast", path);
        List<String> photos = new ArrayList<>();
        List<JsonNode> ps = r.array(o, "photos", path, true, MAX_PHOTOS);
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            if (!p.isTextual() || !SHA256_HEX.matcher(p.textValue()).matches())
                r.error(FieldReader.join(path, "photos") + "[" + i + "]", "sha256", "must be 64 lower-case hex digits");
            else photos.add(p.textValue());
        }
        if (!r.errors().isEmpty()) return null;
        return new TallySheet(tps, contest, registered, voted, ballots, votes, valid, invalid, cast, photos);
    }

    private static VoterLists lists(JsonNode node, String path, FieldReader r) {
        JsonNode o = r.object(node, path, LISTS_FIELDS);
        if (o == null) return null;
        return new VoterLists(sex(o.get("dpt"), path + ".dpt", r), sex(o.get("dptb"), path + ".dptb", r),
                sex(o.get("dpk"), path + ".dpk", r), sex(o.get("total"), path + ".total", r));
    }

    private static SexCount sex(JsonNode node, String path, FieldReader r) {
        JsonNode o = r.object(node, path, SEX_FIELDS);
        if (o == null) return null;
        return new SexCount(r.integer(o, "l", path), r.integer(o, "p", path), r.integer(o, "total", path));
    }

    public static ObjectNode write(TallySheet s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("tps", s.tps());
        o.put("contest", s.contest());
        o.set("registered", lists(s.registered()));
        o.set("voted", lists(s.voted()));
        ObjectNode b = o.putObject("ballots");
        b.put("received", s.ballots().received());
        b.put("used", s.ballots().used());
        b.put("unused", s.ballots().unused());
        b.put("damaged", s.ballots().damaged());
        ArrayNode votes = o.putArray("votes");
        for (ChoiceVotes v : s.votes()) {
            ObjectNode n = votes.addObject();
            n.put("choice", v.choice());
            n.put("votes", v.votes());
            ArrayNode c = n.putArray("candidates");
            v.candidates().forEach(c::add);
            n.put("total", v.total());
        }
        o.put("valid", s.valid());
        o.put("invalid", s.invalid());
        o.put("cast", s.cast());
        ArrayNode photos = o.putArray("photos");
        s.photos().forEach(photos::add);
        return o;
    }

    private static ObjectNode lists(VoterLists v) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("dpt", sex(v.dpt()));
        o.set("dptb", sex(v.dptb()));
        o.set("dpk", sex(v.dpk()));
        o.set("total", sex(v.total()));
        return o;
    }

    private static ObjectNode sex(SexCount c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("l", c.l());
        o.put("p", c.p());
        o.put("total", c.total());
        return o;
    }
}
