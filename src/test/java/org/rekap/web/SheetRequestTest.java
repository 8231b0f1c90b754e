package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;
import org.rekap.sheet.FieldError;

/**
 * The streaming reader of a sheet request is only a shortcut: whatever it accepts, the tree reader (which names every
 * wrong field) accepts too, with equal values; it accepts every well-formed request, in any key order and spacing.
 */
class SheetRequestTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Well-formed requests: every sheet of the small election, every contest. */
    private static List<ObjectNode> requests() {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 5);
        RegionTree tree = e.tree();
        List<ObjectNode> out = new ArrayList<>();
        byte[] sig = new byte[64];
        for (int t = tree.regionCount(); t < tree.size(); t++)
            for (Contest c : e.election().contests()) {
                if (!e.election().covers(c, t)) continue;
                sig[0] = (byte) t;
                ObjectNode o = F.objectNode().put("submissionId", "s-" + t + "-" + c.id());
                o.set("sheet", SheetJson.write(e.sheet(t, c)));
                o.put("device", "0123456789abcdef0123456789abcdef").put("signature", Base64.getEncoder().encodeToString(sig));
                out.add(o);
            }
        return out;
    }

    private static SheetRequest tree(byte[] body, List<FieldError> errors) {
        JsonNode root = OfficerApi.object(body, errors, SheetRequest.FIELDS);
        return root == null ? null : SheetRequest.tree(root, errors);
    }

    private static void assertSame(SheetRequest fast, SheetRequest slow) {
        assertThat(slow).isNotNull();
        assertThat(fast.submissionId()).isEqualTo(slow.submissionId());
        assertThat(fast.device()).isEqualTo(slow.device());
        assertThat(fast.signature()).isEqualTo(slow.signature());
        assertThat(fast.sheet()).isEqualTo(slow.sheet());
    }

    @Test
    void everyWellFormedRequestIsReadByBothReadersAlike() {
        List<ObjectNode> requests = requests();
        assertThat(requests.size()).isGreaterThan(100);
        SplittableRandom rnd = new SplittableRandom(8);
        for (ObjectNode o : requests) {
            for (String body : List.of(o.toString(), o.toPrettyString(), shuffled(o, rnd).toString())) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                SheetRequest fast = SheetRequest.stream(b);
                assertThat(fast).as(body).isNotNull();
                List<FieldError> errors = new ArrayList<>();
                assertSame(fast, tree(b, errors));
                assertThat(errors).isEmpty();
            }
        }
    }

    @Test
    void whatTheStreamingReaderAcceptsTheTreeReaderAcceptsAlike() {
        List<ObjectNode> requests = requests();
        SplittableRandom rnd = new SplittableRandom(20261121);
        int accepted = 0, refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String body = mutate(rnd, requests.get(rnd.nextInt(requests.size())));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            SheetRequest fast = SheetRequest.stream(b);
            List<FieldError> errors = new ArrayList<>();
            SheetRequest slow = tree(b, errors);
            if (fast != null) {
                assertThat(errors).as(body).isEmpty();
                assertSame(fast, slow);
                accepted++;
            } else if (slow == null) refused++;
        }
        // The mutations must exercise both sides.
        assertThat(accepted).isGreaterThan(1000);
        assertThat(refused).isGreaterThan(10_000);
    }

    /** A copy with the keys of every object in a random order. */
    private static JsonNode shuffled(JsonNode n, SplittableRandom rnd) {
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.shuffle(names, new java.util.Random(rnd.nextLong()));
            ObjectNode o = F.objectNode();
            for (String k : names) o.set(k, shuffled(n.get(k), rnd));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            n.forEach(x -> a.add(shuffled(x, rnd)));
            return a;
        }
        return n;
    }

    /** One request changed somewhere: a value of another type or range, a key removed, added or repeated, text cut. */
    private static String mutate(SplittableRandom rnd, ObjectNode request) {
        ObjectNode o = request.deepCopy();
        String s;
        switch (rnd.nextInt(10)) {
            case 9 -> ((ObjectNode) o.get("sheet")).put(rnd.nextBoolean() ? "tps" : "contest",
                    "t".repeat(List.of(0, 1, 64, 65, 200).get(rnd.nextInt(5))));
            case 0 -> replace(rnd, o, switch (rnd.nextInt(9)) {
                case 0 -> F.numberNode(new java.math.BigInteger("9".repeat(1 + rnd.nextInt(20))));
                case 1 -> F.numberNode(java.math.BigDecimal.valueOf(rnd.nextInt(300)).setScale(rnd.nextInt(2)));
                case 2 -> F.textNode("x".repeat(rnd.nextInt(70)));
                case 3 -> F.nullNode();
                case 4 -> F.arrayNode().add(1);
                case 5 -> F.objectNode().put("l", 1);
                case 6 -> F.numberNode(rnd.nextInt(-5, 400));
                case 7 -> F.numberNode(Integer.MAX_VALUE + 1L);
                default -> F.textNode("ab".repeat(32));
            });
            case 1 -> remove(rnd, o);
            case 2 -> addField(rnd, o);
            case 3 -> o.put(List.of("submissionId", "device", "signature").get(rnd.nextInt(3)),
                    List.of("", "a b", "x".repeat(129), "0123456789ABCDEF0123456789abcdef", "AAAA", "%%",
                            Base64.getEncoder().encodeToString(new byte[63]), Base64.getEncoder().encodeToString(new byte[64]).replace("=", ""))
                            .get(rnd.nextInt(8)));
            case 4 -> {
                ArrayNode votes = (ArrayNode) o.get("sheet").get("votes");
                int extra = rnd.nextInt(3) == 0 ? 100 : 1;
                for (int k = 0; k < extra; k++) votes.add(votes.get(0).deepCopy());
            }
            default -> {
                // mostly unchanged, or changed as text: a key repeated, trailing text, a cut
                s = o.toString();
                return switch (rnd.nextInt(6)) {
                    case 0 -> s.replaceFirst("\"valid\":", "\"valid\":1,\"valid\":");
                    case 1 -> s.replaceFirst("\\{\"l\":", "{\"l\":1,\"l\":");
                    case 2 -> s + (rnd.nextBoolean() ? " {}" : "x");
                    case 3 -> s.substring(0, rnd.nextInt(s.length()));
                    default -> s;
                };
            }
        }
        return o.toString();
    }

    private static void replace(SplittableRandom rnd, JsonNode node, JsonNode with) {
        JsonNode current = node;
        for (int depth = 0; depth < 6; depth++) {
            List<JsonNode> kids = new ArrayList<>();
            current.forEach(kids::add);
            if (kids.isEmpty()) break;
            int k = rnd.nextInt(kids.size());
            JsonNode kid = kids.get(k);
            if (!kid.isContainerNode() || rnd.nextInt(3) == 0) {
                if (current instanceof ObjectNode o) o.set(name(o, k), with);
                else if (current instanceof ArrayNode a) a.set(k, with);
                return;
            }
            current = kid;
        }
    }

    private static void remove(SplittableRandom rnd, JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; depth < 6; depth++) {
            List<JsonNode> kids = new ArrayList<>();
            current.forEach(kids::add);
            if (kids.isEmpty()) return;
            int k = rnd.nextInt(kids.size());
            if (rnd.nextInt(3) == 0 || !kids.get(k).isContainerNode()) {
                if (current instanceof ObjectNode o) o.remove(name(o, k));
                else if (current instanceof ArrayNode a) a.remove(k);
                return;
            }
            current = kids.get(k);
        }
    }

    private static void addField(SplittableRandom rnd, JsonNode node) {
        JsonNode current = node;
        while (true) {
            List<JsonNode> objects = new ArrayList<>();
            current.forEach(k -> { if (k.isContainerNode()) objects.add(k); });
            if (current instanceof ObjectNode o && (objects.isEmpty() || rnd.nextInt(3) == 0)) {
                o.put(rnd.nextBoolean() ? "extra" : "candidates", 1);
                return;
            }
            if (objects.isEmpty()) return;
            current = objects.get(rnd.nextInt(objects.size()));
        }
    }

    private static String name(ObjectNode o, int k) {
        var it = o.fieldNames();
        String name = null;
        for (int i = 0; i <= k; i++) name = it.next();
        return name;
    }
}
