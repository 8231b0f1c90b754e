package org.rekap.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** The sheet's fields in the order of the bits {@link #stream} marks them with. */
    private static final List<String> STREAM_FIELDS =
            List.of("tps", "contest", "registered", "voted", "ballots", "votes", "valid", "invalid", "cast", "photos");
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

    /**
     * The sheet at the parser's next value, read straight from the token stream, or null when anything about it is
     * not as {@link #read} accepts (a missing, repeated, unknown or mistyped field, a count beyond 32 bits, a list too
     * long): the caller then reads the tree with {@link #read} to say which field is wrong and why. For every sheet
     * this returns, {@link #read} gives an equal one; it exists because nearly every request is well-formed, and
     * building the tree cost more than the rest of the parse.
     */
    public static TallySheet stream(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String tps = null, contest = null;
        VoterLists registered = null, voted = null;
        Ballots ballots = null;
        List<ChoiceVotes> votes = null;
        List<String> photos = List.of();
        int valid = 0, invalid = 0, cast = 0, seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) return null;
            String name = p.currentName();
            int field = STREAM_FIELDS.indexOf(name);
            if (field < 0 || (seen & 1 << field) != 0) return null; // unknown or repeated
            seen |= 1 << field;
            boolean ok = switch (name) {
                case "tps" -> (tps = text(p)) != null;
                case "contest" -> (contest = text(p)) != null;
                case "registered" -> (registered = lists(p)) != null;
                case "voted" -> (voted = lists(p)) != null;
                case "ballots" -> (ballots = ballots(p)) != null;
                case "votes" -> (votes = votes(p)) != null;
                case "photos" -> (photos = photos(p)) != null;
                default -> {
                    Integer n = integer(p);
                    if (n != null && name.equals("valid")) valid = n;
                    else if (n != null && name.equals("invalid")) invalid = n;
                    else if (n != null) cast = n;
                    yield n != null;
                }
            };
            if (!ok) return null;
        }
        // Every field but the photos (optional) is required.
        if ((seen | 1 << STREAM_FIELDS.indexOf("photos")) != (1 << STREAM_FIELDS.size()) - 1) return null;
        return new TallySheet(tps, contest, registered, voted, ballots, votes, valid, invalid, cast, photos);
    }

    /** The next value as an int, or null unless it is a 32-bit integer. */
    private static Integer integer(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : null;
    }

    private static String text(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_STRING) return null;
        String s = p.getText();
        return s.isEmpty() || s.length() > 64 ? null : s;
    }

    private static VoterLists lists(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        SexCount[] c = new SexCount[4];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) return null;
            int i = switch (p.currentName()) {
                case "dpt" -> 0;
                case "dptb" -> 1;
                case "dpk" -> 2;
                case "total" -> 3;
                default -> -1;
            };
            if (i < 0 || c[i] != null || (c[i] = sex(p)) == null) return null;
        }
        for (SexCount x : c) if (x == null) return null;
        return new VoterLists(c[0], c[1], c[2], c[3]);
    }

    private static SexCount sex(JsonParser p) throws IOException {
        int[] v = ints(p, "l", "p", "total");
        return v == null ? null : new SexCount(v[0], v[1], v[2]);
    }

    private static Ballots ballots(JsonParser p) throws IOException {
        int[] v = ints(p, "received", "used", "unused", "damaged");
        return v == null ? null : new Ballots(v[0], v[1], v[2], v[3]);
    }

    /** An object of exactly these integer fields, each once, in any order; null otherwise. */
    private static int[] ints(JsonParser p, String... names) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        int[] v = new int[names.length];
        int seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) return null;
            int i = Arrays.asList(names).indexOf(p.currentName());
            Integer n = i < 0 || (seen & 1 << i) != 0 ? null : integer(p);
            if (n == null) return null;
            v[i] = n;
            seen |= 1 << i;
        }
        return seen == (1 << names.length) - 1 ? v : null;
    }

    private static List<ChoiceVotes> votes(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) return null;
        List<ChoiceVotes> out = new ArrayList<>(4);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (out.size() == MAX_CHOICES) return null;
            int choice = 0, votes = 0, total = 0, seen = 0;
            List<Integer> candidates = List.of();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) return null;
                int bit = switch (p.currentName()) {
                    case "choice" -> 1;
                    case "votes" -> 2;
                    case "total" -> 4;
                    case "candidates" -> 8;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) return null;
                seen |= bit;
                if (bit == 8) {
                    if ((candidates = candidates(p)) == null) return null;
                    continue;
                }
                Integer n = integer(p);
                if (n == null) return null;
                if (bit == 1) choice = n;
                else if (bit == 2) votes = n;
                else total = n;
            }
            if ((seen | 8) != 15) return null;
            out.add(new ChoiceVotes(choice, votes, candidates, total));
        }
        return p.currentToken() == JsonToken.END_ARRAY ? out : null;
    }

    private static List<Integer> candidates(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) return null;
        List<Integer> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || out.size() == MAX_CANDIDATES)
                return null;
            out.add(p.getIntValue());
        }
        return out;
    }

    private static List<String> photos(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) return null;
        List<String> out = new ArrayList<>(2);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING || out.size() == MAX_PHOTOS) return null;
            String s = p.getText();
            if (!SHA256_HEX.matcher(s).matches()) return null;
            out.add(s);
        }
        return out;
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

    /**
     * The canonical bytes of a sheet: {@code CanonicalJson.write(write(s))}, written directly with the keys in their
     * sorted order (ballots, cast, contest, invalid, photos, registered, tps, valid, voted, votes), since every
     * submission is encoded twice (the signed payload and the log entry) from these bytes.
     */
    public static byte[] canonical(TallySheet s) {
        CanonicalWriter w = new CanonicalWriter(512);
        Ballots b = s.ballots();
        w.raw("{\"ballots\":{\"damaged\":").number(b.damaged()).raw(",\"received\":").number(b.received())
                .raw(",\"unused\":").number(b.unused()).raw(",\"used\":").number(b.used())
                .raw("},\"cast\":").number(s.cast()).raw(",\"contest\":").string(s.contest())
                .raw(",\"invalid\":").number(s.invalid()).raw(",\"photos\":[");
        for (int i = 0; i < s.photos().size(); i++) (i > 0 ? w.raw(",") : w).string(s.photos().get(i));
        w.raw("],\"registered\":");
        canonical(s.registered(), w);
        w.raw(",\"tps\":").string(s.tps()).raw(",\"valid\":").number(s.valid()).raw(",\"voted\":");
        canonical(s.voted(), w);
        w.raw(",\"votes\":[");
        for (int i = 0; i < s.votes().size(); i++) {
            ChoiceVotes v = s.votes().get(i);
            w.raw(i > 0 ? ",{\"candidates\":[" : "{\"candidates\":[");
            for (int k = 0; k < v.candidates().size(); k++) (k > 0 ? w.raw(",") : w).number(v.candidates().get(k));
            w.raw("],\"choice\":").number(v.choice()).raw(",\"total\":").number(v.total())
                    .raw(",\"votes\":").number(v.votes()).raw("}");
        }
        return w.raw("]}").toByteArray();
    }

    private static void canonical(VoterLists v, CanonicalWriter w) {
        w.raw("{\"dpk\":");
        canonical(v.dpk(), w);
        w.raw(",\"dpt\":");
        canonical(v.dpt(), w);
        w.raw(",\"dptb\":");
        canonical(v.dptb(), w);
        w.raw(",\"total\":");
        canonical(v.total(), w);
        w.raw("}");
    }

    private static void canonical(SexCount c, CanonicalWriter w) {
        w.raw("{\"l\":").number(c.l()).raw(",\"p\":").number(c.p()).raw(",\"total\":").number(c.total()).raw("}");
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
