package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;

/**
 * The vertical slice over real HTTP on loopback and a real SQLite file: officers submit every sheet of a small
 * synthetic election, and the public documents must equal sums computed here from the submitted sheets alone.
 */
class SliceEndToEndTest extends LiveElectionTest {
    @Override
    long seed() {
        return 11;
    }

    @Override
    Duration publishInterval() {
        return Duration.ofMillis(50);
    }

    @Test
    void everySubmittedSheetIsCountedOrHeldAndTotalsEqualAnIndependentSum() throws Exception {
        RegionTree tree = election.tree();
        // Expected sums per (contest, region code): choice totals, valid votes, TPS counted and held.
        Map<String, long[]> expected = new HashMap<>();
        int submitted = 0, anomalous = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            for (Contest c : election.election().contestsAt(t)) {
                TallySheet sheet = election.sheet(t, c);
                HttpResponse<String> r = post(body("sub-" + t + "-" + c.id(), sheet));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                JsonNode receipt = Json.MAPPER.readTree(r.body());
                // Each sheet is the newest entry (enrolments of the phones are entries too).
                assertThat(receipt.get("seq").asLong()).isEqualTo(store.logSize() - 1);
                boolean bad = election.isAnomalous(t, c);
                assertThat(receipt.get("status").asText()).isEqualTo(bad ? "held" : "counted");
                submitted++;
                if (bad) anomalous++;
                for (int p = tree.parent(t); p >= 0; p = tree.parent(p)) {
                    long[] e = expected.computeIfAbsent(c.id() + "@" + tree.code(p), k -> new long[c.choices().size() + 3]);
                    if (bad) {
                        e[c.choices().size() + 2]++;
                        continue;
                    }
                    for (int i = 0; i < c.choices().size(); i++) e[i] += sheet.votes().get(i).total();
                    e[c.choices().size()] += sheet.valid();
                    e[c.choices().size() + 1]++;
                }
            }
        }
        assertThat(anomalous).as("the small election should include held sheets").isPositive();
        long logSize = store.logSize();
        waitForPublishedSize(logSize);

        int checked = 0;
        for (var entry : expected.entrySet()) {
            String[] key = entry.getKey().split("@");
            Contest c = election.election().contest(key[0]);
            JsonNode doc = getJson("/api/v1/regions/" + key[1] + "/" + key[0] + ".json");
            long[] e = entry.getValue();
            JsonNode totals = doc.get("totals");
            for (int i = 0; i < c.choices().size(); i++)
                assertThat(totals.get("choices").get(i).asLong()).as(entry.getKey() + " choice " + i).isEqualTo(e[i]);
            assertThat(totals.get("valid").asLong()).as(entry.getKey() + " valid").isEqualTo(e[c.choices().size()]);
            assertThat(totals.get("progress").get("tpsCounted").asLong()).isEqualTo(e[c.choices().size() + 1]);
            assertThat(totals.get("progress").get("tpsHeld").asLong()).isEqualTo(e[c.choices().size() + 2]);
            assertThat(doc.get("changedAtLogSize").asLong()).isBetween(1L, logSize);
            // Each child's totals are in the document too, and they add up to the region's.
            long childValid = 0;
            for (JsonNode child : doc.get("children")) childValid += child.get("valid").asLong();
            assertThat(childValid).as(entry.getKey() + " children").isEqualTo(e[c.choices().size()]);
            checked++;
        }
        assertThat(checked).isGreaterThan(20);

        // Derived state is rebuilt from the log alone: a restarted server publishes the same root documents.
        String before = getJson("/api/v1/regions/0/ppwp.json").toString();
        live.restart();
        waitForPublishedSize(logSize);
        assertThat(getJson("/api/v1/regions/0/ppwp.json").toString()).isEqualTo(before);
    }

    @Test
    void aRetryWithTheSameSubmissionIdIsStoredOnceAndAnsweredAsTheFirstTime() throws Exception {
        int tps = election.tree().regionCount();
        Contest ppwp = election.election().contest("ppwp");
        String request = body("retry-1", election.sheet(tps, ppwp));
        long before = store.logSize();
        HttpResponse<String> first = post(request);
        HttpResponse<String> second = post(request);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(store.logSize()).isEqualTo(before + 1);
    }

    @Test
    void refusalsNameTheFieldAndRuleAndStoreNothing() throws Exception {
        int tps = election.tree().regionCount();
        Contest ppwp = election.election().contest("ppwp");
        TallySheet good = election.sheet(tps, ppwp);
        SimOfficer officer = live.officer(good.tps());
        long before = store.logSize();

        assertRefused(post("{not json"), 400, "body", "json");
        assertRefused(post("[1,2]"), 400, "body", "type");
        assertRefused(post(signed(officer, "x", good).replace("\"valid\":", "\"validx\":")), 400, "sheet.valid", "required");
        assertRefused(post(signed(officer, "x", good).replace("\"invalid\":" + good.invalid(), "\"invalid\":\"" + good.invalid() + "\"")),
                400, "sheet.invalid", "type");
        assertRefused(post(signed(officer, "x", good).replace("\"invalid\":" + good.invalid(), "\"invalid\":1.5")), 400, "sheet.invalid", "type");
        assertRefused(post(signed(officer, "bad id with spaces", good)), 400, "submissionId", "pattern");
        assertRefused(post(signed(officer, "x", withTps(good, "11.99.99.9999.001"))), 422, "sheet.tps", "unknown_tps");
        assertRefused(post(signed(officer, "x", withContest(good, "dpr-xx"))), 422, "sheet.contest", "unknown_contest");
        // A TPS of province 12 does not vote for province 11's DPD.
        int tps12 = election.tree().tpsStart(election.tree().index("12"));
        TallySheet dpd12 = election.sheet(tps12, election.election().contest("dpd-12"));
        assertRefused(post(signed(officer, "x", withContest(dpd12, "dpd-11"))), 422, "sheet.tps", "outside_district");
        // Signatures: altered after signing, another TPS's phone, a phone nobody enrolled.
        assertRefused(post(signed(officer, "x", good).replace("\"submissionId\":\"x\"", "\"submissionId\":\"y\"")), 403, "signature", "invalid");
        TallySheet other12 = election.sheet(tps12, ppwp);
        assertRefused(post(signed(officer, "x", other12)), 403, "sheet.tps", "wrong_tps");
        assertRefused(post(signed(SimOfficer.of(good.tps(), "none", 99), "x", good)), 403, "device", "not_enrolled");
        assertThat(store.logSize()).isEqualTo(before);

        assertThat(post(signed(officer, "first", good)).statusCode()).isEqualTo(201);
        TallySheet changed = withInvalid(good, good.invalid() + 1);
        assertRefused(post(signed(officer, "second", changed)), 409, "sheet.tps", "already_submitted");
        assertRefused(post(signed(officer, "first", changed)), 409, "submissionId", "reused");
        assertThat(store.logSize()).isEqualTo(before + 1);
    }

    private static String signed(SimOfficer officer, String id, TallySheet sheet) {
        return LiveElection.signedBy(officer, id, sheet);
    }

    @Test
    void publicDocumentsCarryDateEtagAndAnswer304() throws Exception {
        HttpResponse<String> r = get("/api/v1/regions/0/ppwp.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Date")).isPresent();
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri("/api/v1/regions/0/ppwp.json"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        HttpResponse<String> missing = get("/api/v1/regions/nope/ppwp.json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(missing.body()).get("error").get("status").asInt()).isEqualTo(404);
        assertThat(get("/").body()).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(get("/metrics").body()).contains("rekap_log_size");
    }

    private void assertRefused(HttpResponse<String> r, int status, String field, String rule) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        List<String> pairs = new ArrayList<>();
        error.get("fields").forEach(f -> pairs.add(f.get("field").asText() + "/" + f.get("rule").asText()));
        assertThat(pairs).as(r.body()).contains(field + "/" + rule);
    }

    private static TallySheet withTps(TallySheet s, String tps) {
        return new TallySheet(tps, s.contest(), s.registered(), s.voted(), s.ballots(), s.votes(), s.valid(), s.invalid(), s.cast(), s.photos());
    }

    private static TallySheet withContest(TallySheet s, String contest) {
        return new TallySheet(s.tps(), contest, s.registered(), s.voted(), s.ballots(), s.votes(), s.valid(), s.invalid(), s.cast(), s.photos());
    }

    private static TallySheet withInvalid(TallySheet s, int invalid) {
        return new TallySheet(s.tps(), s.contest(), s.registered(), s.voted(), s.ballots(), s.votes(), s.valid(), invalid, s.cast(), s.photos());
    }

    private String body(String id, TallySheet sheet) {
        return live.submission(id, sheet);
    }

    private void waitForPublishedSize(long size) throws Exception {
        // Publication is periodic: wait for the condition (the published log size), bounded by a deadline.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (getJson("/api/v1/election.json").get("logSize").asLong() < size) {
            assertThat(System.nanoTime()).as("published log size never reached " + size).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private URI uri(String path) {
        return live.uri(path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/officer/v1/sheets")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
