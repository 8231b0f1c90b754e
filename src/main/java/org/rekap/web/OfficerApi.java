package org.rekap.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Election;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.officer.Receipt;
import org.rekap.officer.SheetWriter;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SheetShape;
import org.rekap.sheet.Violation;

/**
 * The officer's write side: {@code POST /api/officer/v1/sheets}. Parsing and shape checks run on a virtual thread;
 * the answer comes after the group commit, so a 201 means the sheet is durably in the log.
 */
final class OfficerApi {
    static final int MAX_BODY = 256 * 1024;
    private static final Pattern SUBMISSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> REQUEST_FIELDS = Set.of("submissionId", "sheet");

    private final Election election;
    private final SheetWriter writer;
    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    OfficerApi(Election election, SheetWriter writer, ExecutorService blocking, MeterRegistry metrics) {
        this.election = election;
        this.writer = writer;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.post("/api/officer/v1/sheets")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(this::submit);
    }

    private void submit(RoutingContext ctx) {
        Context context = ctx.vertx().getOrCreateContext();
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        HttpServerResponse response = ctx.response();
        blocking.execute(() -> {
            Answer a = handle(body);
            context.runOnContext(v -> a.send(response));
        });
    }

    /** What to send back; built off the event loop, sent on it. */
    private record Answer(int status, String body, String message, List<FieldError> errors) {
        void send(HttpServerResponse r) {
            if (body == null) ErrorBody.send(r, status, message, errors);
            else r.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(body);
        }
    }

    private Answer handle(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return refuse(400, "the body is not valid JSON", new FieldError("body", "json", e.getOriginalMessage()));
        } catch (IOException e) {
            return refuse(400, "the body cannot be read", new FieldError("body", "json", e.getMessage()));
        }
        if (root == null || !root.isObject())
            return refuse(400, "the body must be a JSON object", new FieldError("body", "type", "must be an object"));
        List<FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(n -> {
            if (!REQUEST_FIELDS.contains(n)) errors.add(new FieldError(n, "unknown_field", "is not a field here"));
        });
        JsonNode id = root.get("submissionId");
        if (id == null || !id.isTextual() || !SUBMISSION_ID.matcher(id.textValue()).matches())
            errors.add(new FieldError("submissionId", "pattern",
                    "must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'"));
        SheetJson.Parsed parsed = SheetJson.read(root.get("sheet"), "sheet");
        errors.addAll(parsed.errors());
        if (!errors.isEmpty()) return refuse(400, "the submission is malformed", errors);
        List<FieldError> shape = SheetShape.check(parsed.sheet(), election, "sheet.");
        if (!shape.isEmpty()) return refuse(422, "the sheet does not fit this election", shape);

        SheetSubmitted entry = new SheetSubmitted(id.textValue(), Instant.now().truncatedTo(ChronoUnit.MILLIS), parsed.sheet());
        SheetWriter.Outcome outcome;
        try {
            outcome = writer.submit(entry).join();
        } catch (RuntimeException e) {
            EventLog.event("write_failed", "reason", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            metrics.counter("rekap_submissions_total", "outcome", "unavailable").increment();
            return new Answer(503, null, "the log cannot accept writes right now; retry later", List.of());
        }
        if (outcome.refusal() != null) {
            metrics.counter("rekap_submissions_total", "outcome", "refused").increment();
            return new Answer(outcome.refusal().status(), null, "the submission was refused", outcome.refusal().errors());
        }
        Receipt r = outcome.receipt();
        metrics.counter("rekap_submissions_total", "outcome", outcome.repeated() ? "repeated" : r.status().name().toLowerCase()).increment();
        if (!outcome.repeated())
            EventLog.event("sheet_accepted", "seq", r.seq(), "tps", r.tps(), "contest", r.contest(),
                    "status", r.status().name().toLowerCase(), "violations", r.violations().size());
        return new Answer(201, receiptJson(r), null, null);
    }

    private Answer refuse(int status, String message, FieldError error) {
        return refuse(status, message, List.of(error));
    }

    private Answer refuse(int status, String message, List<FieldError> errors) {
        metrics.counter("rekap_submissions_total", "outcome", "refused").increment();
        return new Answer(status, null, message, errors);
    }

    static String receiptJson(Receipt r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("seq", r.seq());
        o.put("submissionId", r.submissionId());
        o.put("tps", r.tps());
        o.put("contest", r.contest());
        o.put("receivedAt", r.receivedAt().toString());
        o.put("status", r.status().name().toLowerCase());
        ArrayNode vs = o.putArray("violations");
        for (Violation v : r.violations())
            vs.addObject().put("rule", v.rule().id()).put("field", v.field()).put("detail", v.detail());
        return o.toString();
    }
}
