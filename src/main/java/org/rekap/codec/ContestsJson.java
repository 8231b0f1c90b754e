package org.rekap.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;

/**
 * The contests file (docs/formats.md): the election's name, the root region's name, and every contest with its
 * district and choices. Errors name the JSON path, e.g. {@code contests[3].choices[0].number}.
 */
public final class ContestsJson {
    private static final Set<String> TOP = Set.of("name", "rootName", "contests");
    private static final Set<String> CONTEST = Set.of("id", "kind", "name", "district", "choices");
    private static final Set<String> CHOICE = Set.of("number", "name", "candidates");
    private static final Set<String> CANDIDATE = Set.of("number", "name");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ContestsJson() {}

    /** What a contests file declares. */
    public record Setup(String name, String rootName, List<Contest> contests) {}

    public static Setup read(byte[] bytes) throws InvalidInputException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidInputException(List.of(new InputError(line, "not valid JSON: " + e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            throw new InvalidInputException(List.of(new InputError(0, "cannot read: " + e.getMessage())));
        }
        FieldReader r = new FieldReader();
        JsonNode top = r.object(root, "", TOP);
        List<Contest> contests = new ArrayList<>();
        String name = "", rootName = "";
        if (top != null) {
            name = r.text(top, "name", "", 200);
            rootName = r.text(top, "rootName", "", 200);
            List<JsonNode> cs = r.array(top, "contests", "", false, 100_000);
            if (cs.isEmpty() && r.errors().isEmpty()) r.error("contests", "size", "must list at least one contest");
            for (int i = 0; i < cs.size(); i++) {
                Contest c = contest(cs.get(i), "contests[" + i + "]", r);
                if (c != null) contests.add(c);
            }
        }
        if (!r.errors().isEmpty()) {
            List<InputError> errors = new ArrayList<>();
            for (var e : r.errors()) errors.add(new InputError(0, e.field() + ": " + e.message()));
            throw new InvalidInputException(errors);
        }
        return new Setup(name, rootName, contests);
    }

    private static Contest contest(JsonNode node, String path, FieldReader r) {
        JsonNode o = r.object(node, path, CONTEST);
        if (o == null) return null;
        int before = r.errors().size();
        String id = r.text(o, "id", path, 64);
        if (!id.isEmpty() && !ID.matcher(id).matches())
            r.error(path + ".id", "pattern", "must be lower-case letters, digits, '.', '_' or '-'");
        String kindText = r.text(o, "kind", path, 32);
        ContestKind kind = null;
        try {
            if (!kindText.isEmpty()) kind = ContestKind.fromId(kindText);
        } catch (IllegalArgumentException e) {
            r.error(path + ".kind", "enum", "must be one of " + java.util.Arrays.stream(ContestKind.values()).map(ContestKind::id).toList());
        }
        String name = r.text(o, "name", path, 200);
        List<String> district = new ArrayList<>();
        List<JsonNode> ds = r.array(o, "district", path, false, 100_000);
        for (int i = 0; i < ds.size(); i++) {
            if (!ds.get(i).isTextual()) r.error(path + ".district[" + i + "]", "type", "must be a region code string");
            else district.add(ds.get(i).textValue());
        }
        List<Choice> choices = new ArrayList<>();
        List<JsonNode> chs = r.array(o, "choices", path, false, SheetJson.MAX_CHOICES);
        for (int i = 0; i < chs.size(); i++) {
            String cp = path + ".choices[" + i + "]";
            JsonNode c = r.object(chs.get(i), cp, CHOICE);
            if (c == null) continue;
            List<Candidate> candidates = new ArrayList<>();
            List<JsonNode> cands = r.array(c, "candidates", cp, true, SheetJson.MAX_CANDIDATES);
            for (int k = 0; k < cands.size(); k++) {
                String kp = cp + ".candidates[" + k + "]";
                JsonNode cand = r.object(cands.get(k), kp, CANDIDATE);
                if (cand != null) candidates.add(new Candidate(r.integer(cand, "number", kp), r.text(cand, "name", kp, 200)));
            }
            choices.add(new Choice(r.integer(c, "number", cp), r.text(c, "name", cp, 200), candidates));
        }
        return r.errors().size() == before ? new Contest(id, kind, name, district, choices) : null;
    }

    public static byte[] write(Setup setup) {
        ObjectNode top = Json.MAPPER.createObjectNode();
        top.put("name", setup.name());
        top.put("rootName", setup.rootName());
        ArrayNode contests = top.putArray("contests");
        for (Contest c : setup.contests()) {
            ObjectNode o = contests.addObject();
            o.put("id", c.id());
            o.put("kind", c.kind().id());
            o.put("name", c.name());
            ArrayNode d = o.putArray("district");
            c.district().forEach(d::add);
            ArrayNode chs = o.putArray("choices");
            for (Choice ch : c.choices()) {
                ObjectNode co = chs.addObject();
                co.put("number", ch.number());
                co.put("name", ch.name());
                if (!ch.candidates().isEmpty()) {
                    ArrayNode ca = co.putArray("candidates");
                    for (Candidate k : ch.candidates()) ca.addObject().put("number", k.number()).put("name", k.name());
                }
            }
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(top);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
