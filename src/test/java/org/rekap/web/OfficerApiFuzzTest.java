package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;

/**
 * 10,000 malformed requests to the officer API (seeded, so a failure replays): broken JSON, huge numbers, deep
 * nesting, wrong types, bad and replayed signatures, fake photos, wrong TPS. None may get a 5xx, and the log must
 * not change.
 */
class OfficerApiFuzzTest extends LiveElectionTest {
    private static final int REQUESTS = 10_000;

    @Override
    long seed() {
        return 23;
    }

    @Test
    void tenThousandMalformedRequestsGetClearRefusalsAndChangeNothing() throws Exception {
        int t = election.tree().regionCount();
        Contest ppwp = election.election().contest("ppwp");
        TallySheet sheet = election.sheet(t, ppwp);
        SimOfficer officer = live.officer(sheet.tps());
        String good = live.submission("fuzz-base", sheet);
        // The original goes in once: from then on an exact replay is a repeat, and anything else must be refused.
        assertThat(post("/api/officer/v1/sheets", good).statusCode()).isEqualTo(201);
        String otherTps = election.tree().code(t + 1);
        long before = store.logSize();
        JsonNode base = Json.MAPPER.readTree(good);

        SplittableRandom rnd = new SplittableRandom(20261121);
        List<String[]> requests = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) requests.add(mutate(rnd, base, good, officer, otherTps));
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> fiveHundreds = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (String[] r : requests) answers.add(pool.submit(() -> send(r)));
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> a = answers.get(i).get();
                statuses.merge(a.statusCode(), 1, Integer::sum);
                if (a.statusCode() >= 500 && fiveHundreds.size() < 5)
                    fiveHundreds.add(requests.get(i)[0] + " " + abbreviate(requests.get(i)[1]) + " -> " + a.body());
                if (a.statusCode() >= 400 && a.statusCode() != 413)
                    assertThat(Json.MAPPER.readTree(a.body()).get("error").get("status").asInt()).isEqualTo(a.statusCode());
            }
        }
        System.out.println("fuzz: " + REQUESTS + " requests, statuses " + statuses);
        assertThat(fiveHundreds).as("no request may cause a server error").isEmpty();
        assertThat(store.logSize()).as("the log is unchanged").isEqualTo(before);
        assertThat(statuses.keySet()).allMatch(s -> s < 500);
        assertThat(statuses.getOrDefault(201, 0)).as("only exact replays succeed").isPositive();
    }

    /** One malformed request: {path or "PUT photo", body}. */
    private static String[] mutate(SplittableRandom rnd, JsonNode base, String good, SimOfficer officer, String otherTps) {
        String sheets = "/api/officer/v1/sheets";
        switch (rnd.nextInt(12)) {
            case 0 -> { // broken JSON: cut anywhere, or a byte flipped
                int cut = rnd.nextInt(good.length());
                return new String[] {sheets, rnd.nextBoolean() ? good.substring(0, cut)
                        : good.substring(0, cut) + (char) (33 + rnd.nextInt(90)) + good.substring(Math.min(good.length(), cut + 1))};
            }
            case 1 -> { // a value replaced by a huge number, a float, a string, null, an array or an object
                ObjectNode o = base.deepCopy();
                replaceRandomValue(rnd, o, switch (rnd.nextInt(6)) {
                    case 0 -> JsonNodeFactory.instance.numberNode(new java.math.BigInteger("9".repeat(1 + rnd.nextInt(39))));
                    case 1 -> JsonNodeFactory.instance.numberNode(rnd.nextDouble() * 1000);
                    case 2 -> JsonNodeFactory.instance.textNode("x".repeat(rnd.nextInt(50)));
                    case 3 -> JsonNodeFactory.instance.nullNode();
                    case 4 -> JsonNodeFactory.instance.arrayNode().add(1).add("a");
                    default -> JsonNodeFactory.instance.objectNode().put("k", -1);
                });
                return new String[] {sheets, o.toString()};
            }
            case 2 -> { // deep nesting
                int depth = 20 + rnd.nextInt(2000);
                return new String[] {sheets, "[".repeat(depth) + "]".repeat(depth)};
            }
            case 3 -> { // a negative or impossible count, re-signed properly (refused on shape)
                ObjectNode o = base.deepCopy();
                ObjectNode s = (ObjectNode) o.get("sheet");
                s.put("valid", rnd.nextBoolean() ? -1 - rnd.nextInt(1000) : 3001 + rnd.nextInt(1_000_000));
                return new String[] {sheets, resign(o, officer)};
            }
            case 4 -> { // a bad signature: random bytes, truncated, not base64
                ObjectNode o = base.deepCopy();
                byte[] sig = new byte[rnd.nextBoolean() ? 64 : rnd.nextInt(70)];
                rnd.nextBytes(sig);
                o.put("signature", rnd.nextInt(4) == 0 ? "%%%not base64%%%" : Base64.getEncoder().encodeToString(sig));
                return new String[] {sheets, o.toString()};
            }
            case 5 -> { // a valid signature replayed onto a changed sheet
                ObjectNode o = base.deepCopy();
                ((ObjectNode) o.get("sheet")).put("invalid", o.get("sheet").get("invalid").asInt() + 1 + rnd.nextInt(5));
                return new String[] {sheets, o.toString()};
            }
            case 6 -> { // the same sheet under a new submission id (a second sheet for the TPS)
                ObjectNode o = base.deepCopy();
                o.put("submissionId", "again-" + rnd.nextInt(1_000_000));
                return new String[] {sheets, resign(o, officer)};
            }
            case 7 -> { // another TPS's sheet signed with this phone
                ObjectNode o = base.deepCopy();
                ((ObjectNode) o.get("sheet")).put("tps", otherTps);
                o.put("submissionId", "other-" + rnd.nextInt(1_000_000));
                return new String[] {sheets, resign(o, officer)};
            }
            case 8 -> { // unknown and missing fields, wrong top-level types
                ObjectNode o = base.deepCopy();
                if (rnd.nextBoolean()) o.put("extra" + rnd.nextInt(9), 1);
                else o.remove(List.of("sheet", "device", "signature", "submissionId").get(rnd.nextInt(4)));
                return new String[] {sheets, rnd.nextInt(5) == 0 ? "\"just a string\"" : o.toString()};
            }
            case 9 -> { // a fake photo: random bytes, or a real header under the wrong hash, unsigned or badly signed
                byte[] body = new byte[1 + rnd.nextInt(4096)];
                rnd.nextBytes(body);
                if (rnd.nextBoolean()) {
                    body[0] = (byte) 0xFF;
                    body[1 % body.length] = (byte) 0xD8;
                }
                String sha = String.format("%064x", new java.math.BigInteger(1, body.length >= 32 ? java.util.Arrays.copyOf(body, 32) : new byte[32]));
                return new String[] {"PUT " + sha + " " + officer.device() + " "
                        + Base64.getEncoder().encodeToString(officer.sign(SignedPayloads.photo(sha))), Base64.getEncoder().encodeToString(body)};
            }
            case 10 -> { // enrolment garbage
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("code", "ZZZZ-" + rnd.nextInt(10_000));
                byte[] key = new byte[rnd.nextBoolean() ? 32 : rnd.nextInt(40)];
                rnd.nextBytes(key);
                o.put("publicKey", Base64.getEncoder().encodeToString(key));
                return new String[] {"/api/officer/v1/enrol", rnd.nextInt(4) == 0 ? "{\"code\":" : o.toString()};
            }
            default -> { // the exact original again: a repeat, stored once
                return new String[] {sheets, good};
            }
        }
    }

    private static void replaceRandomValue(SplittableRandom rnd, JsonNode node, JsonNode with) {
        JsonNode current = node;
        for (int depth = 0; depth < 6; depth++) {
            List<JsonNode> kids = new ArrayList<>();
            current.forEach(kids::add);
            if (kids.isEmpty()) break;
            int k = rnd.nextInt(kids.size());
            JsonNode kid = kids.get(k);
            if (!kid.isContainerNode() || rnd.nextInt(3) == 0) {
                if (current instanceof ObjectNode o) o.set(iterName(o, k), with);
                else if (current instanceof ArrayNode a) a.set(k, with);
                return;
            }
            current = kid;
        }
    }

    private static String iterName(ObjectNode o, int k) {
        var it = o.fieldNames();
        String name = null;
        for (int i = 0; i <= k; i++) name = it.next();
        return name;
    }

    private static String resign(ObjectNode o, SimOfficer officer) {
        try {
            TallySheet s = org.rekap.codec.SheetJson.read(o.get("sheet"), "sheet").sheet();
            if (s != null)
                o.put("signature", Base64.getEncoder().encodeToString(officer.sign(SignedPayloads.sheet(o.get("submissionId").asText(), s))));
        } catch (RuntimeException e) {
            // an unparseable sheet keeps the old signature: refused either way
        }
        return o.toString();
    }

    private HttpResponse<String> send(String[] r) throws Exception {
        if (r[0].startsWith("PUT ")) {
            String[] p = r[0].split(" ");
            return http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/photos/" + p[1])).header("X-Rekap-Device", p[2])
                    .header("X-Rekap-Signature", p[3]).PUT(HttpRequest.BodyPublishers.ofByteArray(Base64.getDecoder().decode(r[1])))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
        return post(r[0], r[1]);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(live.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
