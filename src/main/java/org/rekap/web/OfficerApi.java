package org.rekap.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Election;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.Entry;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.officer.Device;
import org.rekap.officer.DeviceKeys;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.officer.Intake;
import org.rekap.officer.LogWriter;
import org.rekap.officer.Receipt;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SheetShape;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.Violation;
import org.rekap.store.CodeUse;
import org.rekap.store.ElectionStore;
import org.rekap.store.PhotoStore;

/**
 * The officer's write side. Enrolment ({@code POST /api/officer/v1/enrol}), signed sheets
 * ({@code POST /api/officer/v1/sheets}) and photos ({@code PUT /api/officer/v1/photos/<sha256>}). Parsing, signature
 * checks and file writes run on virtual threads; log entries are answered only after the group commit, so a 2xx
 * means durable.
 */
final class OfficerApi {
    static final int MAX_BODY = 256 * 1024;
    private static final String SHEETS = "/api/officer/v1/sheets";
    static final int MAX_PHOTO = 5 * 1024 * 1024;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern DEVICE = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> ENROL_REQUEST = Set.of("code", "publicKey");

    private final Election election;
    private final LogWriter writer;
    private final Intake intake;
    private final ElectionStore store;
    private final PhotoStore photos;
    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    OfficerApi(Election election, LogWriter writer, Intake intake, ElectionStore store, PhotoStore photos,
            ExecutorService blocking, MeterRegistry metrics) {
        this.election = election;
        this.writer = writer;
        this.intake = intake;
        this.store = store;
        this.photos = photos;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.post(SHEETS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(ctx -> offload(ctx, this::sheet));
        router.post("/api/officer/v1/enrol").handler(BodyHandler.create(false).setBodyLimit(4096))
                .handler(ctx -> offload(ctx, this::enrol));
        router.put("/api/officer/v1/photos/:sha").handler(BodyHandler.create(false).setBodyLimit(MAX_PHOTO))
                .handler(ctx -> {
                    String sha = ctx.pathParam("sha");
                    String device = ctx.request().getHeader("X-Rekap-Device");
                    String sig = ctx.request().getHeader("X-Rekap-Signature");
                    offload(ctx, body -> photo(sha, device, sig, body));
                });
    }

    /** What to send back; built off the event loop, sent on it. */
    record Answer(int status, String body, String message, List<FieldError> errors) {
        void send(HttpServerResponse r) {
            if (body == null) ErrorBody.send(r, status, message, errors);
            else r.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(body);
        }

        static Answer refuse(int status, String message, List<FieldError> errors) {
            return new Answer(status, null, message, errors);
        }

        static Answer refuse(int status, String message, FieldError error) {
            return refuse(status, message, List.of(error));
        }
    }

    /** Runs a handler on a virtual thread with the request body, and answers on the event loop. */
    static void offload(RoutingContext ctx, ExecutorService blocking, Function<byte[], Answer> handler) {
        offload(ctx.request(), ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), blocking, handler);
    }

    static void offload(HttpServerRequest request, byte[] body, ExecutorService blocking, Function<byte[], Answer> handler) {
        Context context = Vertx.currentContext();
        HttpServerResponse response = request.response();
        blocking.execute(() -> {
            Answer a;
            try {
                a = handler.apply(body);
            } catch (RuntimeException e) {
                EventLog.event("request_failed", "path", request.path(), "error", String.valueOf(e));
                a = Answer.refuse(500, "internal error", List.of());
            }
            Answer answer = a;
            context.runOnContext(v -> answer.send(response));
        });
    }

    /**
     * Takes {@code POST /api/officer/v1/sheets} before the router (nearly all of the officer side's traffic at peak):
     * only a plain body with a length within {@link #MAX_BODY}; anything else (chunked, {@code Expect}, too long) goes
     * through the router, whose body handler answers it. False when the request is not taken.
     */
    boolean fastPath(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST || !SHEETS.equals(req.path())) return false;
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.length() > 7 || req.getHeader(HttpHeaders.EXPECT) != null
                || req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) return false;
        int n;
        try {
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            return false;
        }
        if (n < 0 || n > MAX_BODY) return false;
        req.response().putHeader(HttpHeaders.DATE, PublicApi.RESPONDER.date());
        // A connection that closes before its body is whole gets no answer: there is nobody to answer.
        req.body().onSuccess(b -> {
            try {
                offload(req, b.getBytes(), blocking, this::sheet);
            } catch (RejectedExecutionException e) { // shed (as the router's failure handler answers it), or stopping
                req.response().putHeader("Retry-After", "1");
                ErrorBody.send(req.response(), 503, "busy: retry in a second (published results stay available)", List.of());
            }
        });
        return true;
    }

    private void offload(RoutingContext ctx, Function<byte[], Answer> handler) {
        offload(ctx, blocking, handler);
    }

    /** Parses a JSON object body, or says why not. */
    static JsonNode object(byte[] body, List<FieldError> errors, Set<String> allowed) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("body", "json", e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            errors.add(new FieldError("body", "json", e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            errors.add(new FieldError("body", "type", "must be a JSON object"));
            return null;
        }
        root.fieldNames().forEachRemaining(n -> {
            if (!allowed.contains(n)) errors.add(new FieldError(n, "unknown_field", "is not a field here"));
        });
        return root;
    }

    static String id(JsonNode root, String field, List<FieldError> errors) {
        JsonNode id = root.get(field);
        if (id == null || !id.isTextual() || !ID.matcher(id.textValue()).matches()) {
            errors.add(new FieldError(field, "pattern", "must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'"));
            return null;
        }
        return id.textValue();
    }

    static String device(JsonNode root, String field, List<FieldError> errors) {
        JsonNode d = root.get(field);
        if (d == null || !d.isTextual() || !DEVICE.matcher(d.textValue()).matches()) {
            errors.add(new FieldError(field, "pattern", "must be a device id: 32 lower-case hex digits"));
            return null;
        }
        return d.textValue();
    }

    static byte[] base64(JsonNode root, String field, int length, List<FieldError> errors) {
        JsonNode v = root.get(field);
        try {
            if (v != null && v.isTextual()) {
                byte[] b = Base64.getDecoder().decode(v.textValue());
                if (b.length == length) return b;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError(field, "base64", "must be " + length + " bytes in standard base64"));
        return null;
    }

    private Answer sheet(byte[] body) {
        SheetRequest request = SheetRequest.stream(body);
        if (request == null) { // something is wrong with it: read it again as a tree to say what
            List<FieldError> errors = new ArrayList<>();
            JsonNode root = object(body, errors, SheetRequest.FIELDS);
            if (root == null) return Answer.refuse(400, "the body is not a JSON object", errors);
            request = SheetRequest.tree(root, errors);
            if (request == null) return refused(400, "the submission is malformed", errors);
        }
        TallySheet sheet = request.sheet();
        List<FieldError> shape = SheetShape.check(sheet, election, "sheet.");
        if (!shape.isEmpty()) return refused(422, "the sheet does not fit this election", shape);
        Device d = intake.device(request.device());
        if (d == null) return refused(403, "unknown device", List.of(new FieldError("device", "not_enrolled",
                "no device " + request.device() + " is enrolled")));
        // The sheet's canonical bytes are both in what the device signed and in the log entry: encoded once.
        byte[] canonical = SheetJson.canonical(sheet);
        if (!DeviceKeys.verify(d.publicKey(), SignedPayloads.sheet(request.submissionId(), canonical), request.signature()))
            return refused(403, "bad signature", List.of(new FieldError("signature", "invalid",
                    "is not device " + request.device() + "'s signature of this submission")));
        SheetSubmitted entry = new SheetSubmitted(request.submissionId(), now(), sheet, request.device(), request.signature());
        return submit(writer, metrics, entry, EntryCodec.encode(entry, canonical));
    }

    private Answer enrol(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = object(body, errors, ENROL_REQUEST);
        if (root == null) return Answer.refuse(400, "the body is not a JSON object", errors);
        JsonNode code = root.get("code");
        if (code == null || !code.isTextual() || code.textValue().isBlank() || code.textValue().length() > 64)
            errors.add(new FieldError("code", "required", "is the enrolment code printed for this TPS"));
        byte[] key = base64(root, "publicKey", DeviceKeys.PUBLIC_KEY_BYTES, errors);
        if (key != null && !DeviceKeys.validPublicKey(key))
            errors.add(new FieldError("publicKey", "ed25519", "is not an Ed25519 public key"));
        if (!errors.isEmpty()) return refused(400, "the enrolment is malformed", errors);
        String device = DeviceKeys.id(key);
        Device known = intake.device(device);
        if (known != null && known.revoked())
            return refused(409, "already enrolled", List.of(new FieldError("publicKey", "already_enrolled",
                    "this key is already enrolled as device " + device)));
        // A retry by the same device is accepted by the code and answered by the log with its first receipt.
        CodeUse use = store.useCode(EnrolmentCodes.hash(code.textValue()), device, Instant.now());
        if (!use.ok())
            return refused(403, "the code cannot be used", List.of(new FieldError("code", use.refusal(), switch (use.refusal()) {
                case "used" -> "this code was already used; ask for a new one";
                case "expired" -> "this code has expired; ask for a new one";
                default -> "no such code; check it letter by letter";
            })));
        return submit(new DeviceEnrolled(now(), device, key, use.role(), use.scope()));
    }

    private Answer photo(String sha, String device, String signature, byte[] body) {
        if (!PhotoStore.SHA256.matcher(sha).matches())
            return refused(400, "bad photo address", List.of(new FieldError("sha256", "pattern", "must be 64 lower-case hex digits")));
        Device d = device == null ? null : intake.device(device);
        if (d == null || d.revoked() || d.role() != Role.OFFICER)
            return refused(403, "not an active officer device", List.of(new FieldError("X-Rekap-Device", "not_enrolled",
                    "must name an enrolled, unrevoked officer device")));
        byte[] sig;
        try {
            sig = signature == null ? new byte[0] : Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            sig = new byte[0];
        }
        if (!DeviceKeys.verify(d.publicKey(), SignedPayloads.photo(sha), sig))
            return refused(403, "bad signature", List.of(new FieldError("X-Rekap-Signature", "invalid",
                    "is not the device's signature of this photo's SHA-256")));
        if (!MessageDigest.isEqual(PhotoStore.sha256(body).getBytes(StandardCharsets.US_ASCII), sha.getBytes(StandardCharsets.US_ASCII)))
            return refused(422, "the photo does not match its address", List.of(new FieldError("body", "sha256_mismatch",
                    "the SHA-256 of the body is " + PhotoStore.sha256(body))));
        String type = PhotoStore.imageType(body);
        if (type == null)
            return refused(415, "not a photo", List.of(new FieldError("body", "image_type", "must be a JPEG, PNG or WebP image")));
        photos.put(sha, body);
        EventLog.event("photo_stored", "sha256", sha, "bytes", body.length, "device", device);
        ObjectNode o = Json.MAPPER.createObjectNode().put("sha256", sha).put("type", type).put("bytes", body.length);
        return new Answer(201, o.toString(), null, null);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Appends through the log writer and answers with the receipt once durable. */
    private Answer submit(Entry entry) {
        return submit(writer, metrics, entry);
    }

    static Answer submit(LogWriter writer, MeterRegistry metrics, Entry entry) {
        return answer(metrics, entry, writer.submit(entry));
    }

    /** The same for an entry encoded already ({@code EntryCodec.encode(entry)}). */
    static Answer submit(LogWriter writer, MeterRegistry metrics, Entry entry, byte[] encoded) {
        return answer(metrics, entry, writer.submit(entry, encoded));
    }

    /** Waits until the entry is durable (or refused) and says so. */
    private static Answer answer(MeterRegistry metrics, Entry entry, java.util.concurrent.CompletableFuture<LogWriter.Outcome> pending) {
        LogWriter.Outcome outcome;
        try {
            outcome = pending.join();
        } catch (RuntimeException e) {
            EventLog.event("write_failed", "reason", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            metrics.counter("rekap_entries_total", "type", entry.type(), "outcome", "unavailable").increment();
            return Answer.refuse(503, "the log cannot accept writes right now; retry later", List.of());
        }
        if (outcome.refusal() != null) {
            metrics.counter("rekap_entries_total", "type", entry.type(), "outcome", "refused").increment();
            return Answer.refuse(outcome.refusal().status(), "the request was refused", outcome.refusal().errors());
        }
        Receipt r = outcome.receipt();
        metrics.counter("rekap_entries_total", "type", entry.type(), "outcome",
                outcome.repeated() ? "repeated" : r.status().name().toLowerCase()).increment();
        if (!outcome.repeated())
            EventLog.event(entry.type() + "_accepted", "seq", r.seq(), "id", r.submissionId(), "tps", r.tps(),
                    "contest", r.contest(), "status", r.status().name().toLowerCase(), "violations", r.violations().size());
        return new Answer(201, receiptJson(entry, r), null, null);
    }

    private Answer refused(int status, String message, List<FieldError> errors) {
        metrics.counter("rekap_entries_total", "type", "request", "outcome", "refused").increment();
        return Answer.refuse(status, message, errors);
    }

    static String receiptJson(Entry entry, Receipt r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("seq", r.seq());
        o.put("receivedAt", r.receivedAt().toString());
        switch (entry) {
            case DeviceEnrolled d -> o.put("device", d.device()).put("role", d.role().id()).put("scope", d.scope());
            default -> {
                o.put("id", r.submissionId());
                o.put("tps", r.tps());
                o.put("contest", r.contest());
                o.put("status", r.status().name().toLowerCase());
                ArrayNode vs = o.putArray("violations");
                for (Violation v : r.violations())
                    vs.addObject().put("rule", v.rule().id()).put("field", v.field()).put("detail", v.detail());
            }
        }
        return o.toString();
    }
}
