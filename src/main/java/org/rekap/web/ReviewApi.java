package org.rekap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Election;
import org.rekap.ledger.ReviewDecided;
import org.rekap.officer.Device;
import org.rekap.officer.DeviceKeys;
import org.rekap.officer.Intake;
import org.rekap.officer.LogWriter;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SheetShape;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.Violation;

/**
 * The reviewer's side (PPK, kecamatan level): the held sheets of a region, and signed decisions on them. Listing is
 * public (held sheets are shown publicly anyway); a decision must be signed by an enrolled reviewer whose scope
 * contains the TPS, and it becomes a log entry with its reason.
 */
final class ReviewApi {
    private static final Set<String> DECISION = Set.of("decisionId", "reviewer", "tps", "contest", "sheetSeq", "verdict",
            "corrected", "reason", "signature");
    private final Election election;
    private final Intake intake;
    private final LogWriter writer;
    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    ReviewApi(Election election, Intake intake, LogWriter writer, ExecutorService blocking, MeterRegistry metrics) {
        this.election = election;
        this.intake = intake;
        this.writer = writer;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.get("/api/review/v1/held/:region").handler(ctx -> OfficerApi.offload(ctx, blocking, body -> held(ctx.pathParam("region"))));
        router.post("/api/review/v1/decisions").handler(BodyHandler.create(false).setBodyLimit(OfficerApi.MAX_BODY))
                .handler(ctx -> OfficerApi.offload(ctx, blocking, this::decide));
    }

    private OfficerApi.Answer held(String region) {
        int node = election.tree().index(region);
        if (node < 0 || election.tree().isTps(node))
            return OfficerApi.Answer.refuse(404, "no region " + region, List.of(new FieldError("region", "unknown_region", "no region has this code")));
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("region", region);
        ArrayNode items = o.putArray("held");
        for (Intake.HeldSheet h : intake.held(node)) {
            ObjectNode i = items.addObject();
            i.put("tps", h.sheet().tps()).put("contest", h.sheet().contest()).put("seq", h.seq());
            ArrayNode vs = i.putArray("violations");
            for (Violation v : h.violations()) vs.addObject().put("rule", v.rule().id()).put("field", v.field()).put("detail", v.detail());
            i.set("sheet", SheetJson.write(h.sheet()));
        }
        return new OfficerApi.Answer(200, o.toString(), null, null);
    }

    private OfficerApi.Answer decide(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = OfficerApi.object(body, errors, DECISION);
        if (root == null) return OfficerApi.Answer.refuse(400, "the body is not a JSON object", errors);
        String decisionId = OfficerApi.id(root, "decisionId", errors);
        String reviewer = OfficerApi.device(root, "reviewer", errors);
        byte[] signature = OfficerApi.base64(root, "signature", DeviceKeys.SIGNATURE_BYTES, errors);
        String tps = text(root, "tps", 64, errors), contest = text(root, "contest", 64, errors);
        String reason = text(root, "reason", 2000, errors);
        if (reason != null && reason.strip().length() < 5)
            errors.add(new FieldError("reason", "length", "say why, in at least 5 characters"));
        JsonNode seq = root.get("sheetSeq");
        if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber() || seq.longValue() < 0)
            errors.add(new FieldError("sheetSeq", "type", "must be the log position of the version under review"));
        String verdictText = text(root, "verdict", 16, errors);
        ReviewDecided.Verdict verdict = "accept".equals(verdictText) ? ReviewDecided.Verdict.ACCEPT
                : "correct".equals(verdictText) ? ReviewDecided.Verdict.CORRECT : null;
        if (verdictText != null && verdict == null) errors.add(new FieldError("verdict", "enum", "must be accept or correct"));
        TallySheet corrected = null;
        if (verdict == ReviewDecided.Verdict.CORRECT) {
            SheetJson.Parsed p = SheetJson.read(root.get("corrected"), "corrected");
            errors.addAll(p.errors());
            corrected = p.sheet();
        } else if (root.has("corrected")) {
            errors.add(new FieldError("corrected", "verdict", "an acceptance carries no corrected sheet"));
        }
        if (!errors.isEmpty()) return OfficerApi.Answer.refuse(400, "the decision is malformed", errors);
        if (corrected != null) {
            List<FieldError> shape = new ArrayList<>(SheetShape.check(corrected, election, "corrected."));
            if (!corrected.tps().equals(tps) || !corrected.contest().equals(contest))
                shape.add(new FieldError("corrected.tps", "mismatch", "the corrected sheet must be of TPS " + tps + " and contest " + contest));
            if (!shape.isEmpty()) return OfficerApi.Answer.refuse(422, "the corrected sheet does not fit", shape);
        }
        Device d = intake.device(reviewer);
        if (d == null)
            return OfficerApi.Answer.refuse(403, "unknown reviewer", new FieldError("reviewer", "not_enrolled", "no device " + reviewer + " is enrolled"));
        byte[] payload = SignedPayloads.review(decisionId, tps, contest, seq.longValue(), verdictText, corrected, reason);
        if (!DeviceKeys.verify(d.publicKey(), payload, signature))
            return OfficerApi.Answer.refuse(403, "bad signature", new FieldError("signature", "invalid",
                    "is not reviewer " + reviewer + "'s signature of this decision"));
        return OfficerApi.submit(writer, metrics, new ReviewDecided(Instant.now().truncatedTo(ChronoUnit.MILLIS), decisionId,
                reviewer, tps, contest, seq.longValue(), verdict, corrected, reason, signature));
    }

    private static String text(JsonNode root, String field, int max, List<FieldError> errors) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > max) {
            errors.add(new FieldError(field, "required", "must be text of 1 to " + max + " characters"));
            return null;
        }
        return v.textValue();
    }
}
