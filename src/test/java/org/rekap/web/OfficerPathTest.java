package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.ledger.Role;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.EnrolmentCode;
import org.rekap.store.PhotoStore;

/** Enrolment, revocation, review and photos over real HTTP, each refusal with its status, field and rule. */
class OfficerPathTest extends LiveElectionTest {
    @Override
    long seed() {
        return 8;
    }

    @Test
    void aCodeEnrolsOneDeviceOnceAndOnlyBeforeItExpires() throws Exception {
        String tps = live.election.tree().code(live.election.tree().regionCount());
        String code = issue(Role.OFFICER, tps, Instant.now().plusSeconds(600));
        SimOfficer phone = SimOfficer.of(tps, code, 1);
        JsonNode ok = json(post("/api/officer/v1/enrol", enrolBody(code.toLowerCase().replace("-", " "), phone.publicKey())));
        assertThat(ok.get("device").asText()).isEqualTo(phone.device());
        assertThat(ok.get("scope").asText()).isEqualTo(tps);
        long size = live.store.logSize();
        assertRefused(post("/api/officer/v1/enrol", enrolBody(code, SimOfficer.of(tps, code, 2).publicKey())), 403, "code", "used");
        assertRefused(post("/api/officer/v1/enrol", enrolBody("AAAA-BBBB-CCCC", SimOfficer.of(tps, code, 3).publicKey())), 403, "code", "unknown");
        String old = issue(Role.OFFICER, live.election.tree().code(live.election.tree().regionCount() + 1), Instant.now().minusSeconds(1));
        assertRefused(post("/api/officer/v1/enrol", enrolBody(old, SimOfficer.of(tps, code, 4).publicKey())), 403, "code", "expired");
        assertRefused(post("/api/officer/v1/enrol", enrolBody(code, new byte[31])), 400, "publicKey", "base64");
        assertThat(live.store.logSize()).isEqualTo(size);
    }

    @Test
    void anEnrolmentCutByACrashOrALostAnswerIsRetriedWithTheSameCodeAndKey() throws Exception {
        String tps = live.election.tree().code(live.election.tree().regionCount() + 2);
        String code = issue(Role.OFFICER, tps, Instant.now().plusSeconds(600));
        SimOfficer phone = SimOfficer.of(tps, code, 5);
        // What a kill between the two commits leaves: the code spent by this phone, no enrolment in the log.
        assertThat(live.store.useCode(EnrolmentCodes.hash(code), phone.device(), Instant.now()).ok()).isTrue();
        long size = live.store.logSize();
        JsonNode first = json(post("/api/officer/v1/enrol", enrolBody(code, phone.publicKey())));
        assertThat(first.get("device").asText()).isEqualTo(phone.device());
        assertThat(first.get("seq").asLong()).isEqualTo(size);
        // The answer was lost: the phone sends the same request again and gets the same receipt, not a second entry.
        JsonNode again = json(post("/api/officer/v1/enrol", enrolBody(code, phone.publicKey())));
        assertThat(again).isEqualTo(first);
        assertThat(live.store.logSize()).isEqualTo(size + 1);
        assertRefused(post("/api/officer/v1/enrol", enrolBody(code, SimOfficer.of(tps, code, 6).publicKey())), 403, "code", "used");
        assertThat(live.store.logSize()).isEqualTo(size + 1);
    }

    @Test
    void aRevokedPhoneCanNoLongerSubmitAndTheRevocationNeedsTheAdministrator() throws Exception {
        int t = live.election.tree().regionCount();
        Contest ppwp = live.election.election().contest("ppwp");
        SimOfficer phone = live.officer(live.election.tree().code(t));
        String revoke = Json.MAPPER.createObjectNode().put("device", phone.device()).put("reason", "phone reported stolen").toString();
        assertRefused(send(HttpRequest.newBuilder(live.uri("/api/admin/v1/revoke")).POST(HttpRequest.BodyPublishers.ofString(revoke))),
                401, "Authorization", "bearer");
        HttpResponse<String> r = send(HttpRequest.newBuilder(live.uri("/api/admin/v1/revoke"))
                .header("Authorization", "Bearer " + LiveElection.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString(revoke)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        long size = live.store.logSize();
        assertRefused(post("/api/officer/v1/sheets", LiveElection.signedBy(phone, "s1", live.election.sheet(t, ppwp))), 403, "device", "revoked");
        assertThat(live.store.logSize()).isEqualTo(size);
    }

    @Test
    void aHeldSheetStaysOutOfTheTotalsUntilAReviewerOfItsKecamatanAcceptsIt() throws Exception {
        RegionTree tree = live.election.tree();
        Contest ppwp = live.election.election().contest("ppwp");
        int held = -1;
        for (int t = tree.regionCount(); t < tree.size() && held < 0; t++)
            if (live.election.isAnomalous(t, ppwp) && tree.level(tree.parent(tree.parent(t))).equals("kecamatan")) held = t;
        assertThat(held).as("seed 8 has held PPWP sheets").isPositive();
        TallySheet sheet = live.election.sheet(held, ppwp);
        JsonNode receipt = json(post("/api/officer/v1/sheets", live.submission("h1", sheet)));
        assertThat(receipt.get("status").asText()).isEqualTo("held");
        long sheetSeq = receipt.get("seq").asLong();
        JsonNode before = waitForRoot(live.store.logSize());
        assertThat(before.get("totals").get("progress").get("tpsHeld").asLong()).isEqualTo(1);
        assertThat(before.get("totals").get("valid").asLong()).isZero();

        int kecamatan = tree.parent(tree.parent(held));
        assertThat(tree.level(kecamatan)).isEqualTo("kecamatan");
        JsonNode list = json(get("/api/review/v1/held/" + tree.code(kecamatan)));
        assertThat(list.get("held")).hasSize(1);
        assertThat(list.get("held").get(0).get("seq").asLong()).isEqualTo(sheetSeq);

        SimOfficer reviewer = enrolReviewer(tree.code(kecamatan));
        int otherKecamatan = -1;
        for (int i = 1; i < tree.regionCount(); i++)
            if (tree.level(i).equals("kecamatan") && i != kecamatan) otherKecamatan = i;
        SimOfficer outsider = enrolReviewer(tree.code(otherKecamatan));
        long size = live.store.logSize();
        assertRefused(post("/api/review/v1/decisions", decision(outsider, "d0", sheet, sheetSeq, "accept", null, "sesuai kertas")),
                403, "tps", "outside_scope");
        assertRefused(post("/api/review/v1/decisions", decision(reviewer, "d0", sheet, sheetSeq + 1, "accept", null, "sesuai kertas")),
                409, "sheetSeq", "stale");
        SimOfficer officer = live.officer(sheet.tps());
        assertRefused(post("/api/review/v1/decisions", decision(officer, "d0", sheet, sheetSeq, "accept", null, "sesuai kertas")),
                403, "reviewer", "wrong_role");
        assertThat(live.store.logSize()).isEqualTo(size);

        JsonNode accepted = json(post("/api/review/v1/decisions",
                decision(reviewer, "d1", sheet, sheetSeq, "accept", null, "angka sesuai formulir kertas")));
        assertThat(accepted.get("status").asText()).isEqualTo("counted");
        JsonNode after = waitForRoot(live.store.logSize());
        assertThat(after.get("totals").get("progress").get("tpsHeld").asLong()).isZero();
        assertThat(after.get("totals").get("progress").get("tpsCounted").asLong()).isEqualTo(1);
        assertThat(after.get("totals").get("valid").asLong()).isEqualTo(sheet.valid());
        assertThat(json(get("/api/review/v1/held/" + tree.code(kecamatan))).get("held")).isEmpty();

        // The decision survives a restart: derived state is rebuilt from the log.
        live.restart();
        assertThat(waitForRoot(live.store.logSize()).get("totals").get("valid").asLong()).isEqualTo(sheet.valid());
    }

    @Test
    void aCorrectionReplacesTheNumbersAndTheTpsPageShowsEveryVersionWithItsReason() throws Exception {
        RegionTree tree = live.election.tree();
        Contest ppwp = live.election.election().contest("ppwp");
        int t = tree.regionCount();
        while (live.election.isAnomalous(t, ppwp)) t++;
        TallySheet sheet = live.election.sheet(t, ppwp);
        long seq = json(post("/api/officer/v1/sheets", live.submission("c1", sheet))).get("seq").asLong();
        // The officer copied 10 votes of pair 1 to pair 2 by mistake; the reviewer moves them back.
        List<org.rekap.sheet.ChoiceVotes> votes = new ArrayList<>(sheet.votes());
        int moved = Math.min(10, votes.get(1).total());
        votes.set(0, org.rekap.sheet.ChoiceVotes.single(votes.get(0).choice(), votes.get(0).total() + moved));
        votes.set(1, org.rekap.sheet.ChoiceVotes.single(votes.get(1).choice(), votes.get(1).total() - moved));
        TallySheet corrected = new TallySheet(sheet.tps(), sheet.contest(), sheet.registered(), sheet.voted(), sheet.ballots(),
                votes, sheet.valid(), sheet.invalid(), sheet.cast(), sheet.photos());
        int kecamatan = tree.parent(tree.parent(t));
        SimOfficer reviewer = enrolReviewer(tree.code(kecamatan));
        assertRefused(post("/api/review/v1/decisions", decision(reviewer, "c2", sheet, seq, "accept", null, "sudah benar")),
                409, "verdict", "not_held");
        assertRefused(post("/api/review/v1/decisions", decision(reviewer, "c2", sheet, seq, "correct", corrected, "x")),
                400, "reason", "length");
        JsonNode r = json(post("/api/review/v1/decisions",
                decision(reviewer, "c2", sheet, seq, "correct", corrected, "salah salin: 10 suara paslon 1 tertulis di paslon 2")));
        assertThat(r.get("status").asText()).isEqualTo("counted");
        JsonNode root = waitForRoot(live.store.logSize());
        assertThat(root.get("totals").get("choices").get(0).asLong()).isEqualTo(corrected.votes().get(0).total());
        assertThat(root.get("totals").get("choices").get(1).asLong()).isEqualTo(corrected.votes().get(1).total());

        JsonNode detail = json(get("/api/v1/tps/" + sheet.tps() + "/ppwp.json"));
        assertThat(detail.get("corrected").asBoolean()).isTrue();
        assertThat(detail.get("sheet").get("votes").get(0).get("total").asInt()).isEqualTo(corrected.votes().get(0).total());
        JsonNode versions = detail.get("versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("kind").asText()).isEqualTo("submitted");
        assertThat(versions.get(0).get("seq").asLong()).isEqualTo(seq);
        assertThat(versions.get(1).get("kind").asText()).isEqualTo("corrected");
        assertThat(versions.get(1).get("by").asText()).isEqualTo(reviewer.device());
        assertThat(versions.get(1).get("reason").asText()).contains("salah salin");
    }

    @Test
    void photosAreStoredByTheirHashOnlyWhenSignedWholeAndReallyImages() throws Exception {
        SimOfficer phone = live.officer(live.election.tree().code(live.election.tree().regionCount()));
        byte[] jpeg = new byte[2048];
        new java.util.Random(5).nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        String sha = PhotoStore.sha256(jpeg);
        HttpResponse<String> ok = putPhoto(sha, jpeg, phone, phone.sign(SignedPayloads.photo(sha)));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(json(ok).get("type").asText()).isEqualTo("image/jpeg");
        HttpResponse<byte[]> back = http.send(HttpRequest.newBuilder(live.uri("/photos/" + sha)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(back.body()).isEqualTo(jpeg);

        byte[] text = "not an image at all, just words".getBytes();
        String textSha = PhotoStore.sha256(text);
        assertRefused(putPhoto(textSha, text, phone, phone.sign(SignedPayloads.photo(textSha))), 415, "body", "image_type");
        assertRefused(putPhoto(sha, text, phone, phone.sign(SignedPayloads.photo(sha))), 422, "body", "sha256_mismatch");
        assertRefused(putPhoto(sha, jpeg, phone, new byte[64]), 403, "X-Rekap-Signature", "invalid");
        byte[] huge = new byte[5 * 1024 * 1024 + 1];
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        huge[2] = (byte) 0xFF;
        String hugeSha = PhotoStore.sha256(huge);
        assertThat(putPhoto(hugeSha, huge, phone, phone.sign(SignedPayloads.photo(hugeSha))).statusCode()).isEqualTo(413);
        assertThat(http.send(HttpRequest.newBuilder(live.uri("/photos/" + hugeSha)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> putPhoto(String sha, byte[] body, SimOfficer phone, byte[] signature) throws Exception {
        return send(HttpRequest.newBuilder(live.uri("/api/officer/v1/photos/" + sha)).header("X-Rekap-Device", phone.device())
                .header("X-Rekap-Signature", Base64.getEncoder().encodeToString(signature))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private SimOfficer enrolReviewer(String region) throws Exception {
        String code = issue(Role.REVIEWER, region, Instant.now().plusSeconds(600));
        SimOfficer reviewer = SimOfficer.of(region, code, 11);
        JsonNode r = json(post("/api/officer/v1/enrol", enrolBody(code, reviewer.publicKey())));
        assertThat(r.get("role").asText()).isEqualTo("reviewer");
        return reviewer;
    }

    private static String decision(SimOfficer reviewer, String id, TallySheet sheet, long seq, String verdict,
            TallySheet corrected, String reason) {
        var o = Json.MAPPER.createObjectNode();
        o.put("decisionId", id).put("reviewer", reviewer.device()).put("tps", sheet.tps()).put("contest", sheet.contest())
                .put("sheetSeq", seq).put("verdict", verdict).put("reason", reason);
        if (corrected != null) o.set("corrected", SheetJson.write(corrected));
        byte[] payload = SignedPayloads.review(id, sheet.tps(), sheet.contest(), seq, verdict, corrected, reason);
        o.put("signature", Base64.getEncoder().encodeToString(reviewer.sign(payload)));
        return o.toString();
    }

    private String issue(Role role, String scope, Instant expires) {
        String code = EnrolmentCodes.generate();
        live.store.issueCodes(List.of(new EnrolmentCode(EnrolmentCodes.hash(code), role, scope, expires)));
        return code;
    }

    private static String enrolBody(String code, byte[] publicKey) {
        return Json.MAPPER.createObjectNode().put("code", code).put("publicKey", Base64.getEncoder().encodeToString(publicKey)).toString();
    }

    private JsonNode waitForRoot(long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<String> r = get("/api/v1/regions/0/ppwp.json");
            if (Long.parseLong(r.headers().firstValue("X-Rekap-Log-Size").orElse("-1")) >= size) return json(r);
            assertThat(System.nanoTime()).as("the snapshot never reached " + size).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private void assertRefused(HttpResponse<String> r, int status, String field, String rule) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        List<String> pairs = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).get("error").get("fields").forEach(f -> pairs.add(f.get("field").asText() + "/" + f.get("rule").asText()));
        assertThat(pairs).as(r.body()).contains(field + "/" + rule);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(live.uri(path)));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(live.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
