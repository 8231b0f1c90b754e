package org.rekap.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.rekap.ledger.DeviceRevoked;
import org.rekap.officer.LogWriter;
import org.rekap.sheet.FieldError;

/**
 * The administrator's side: revoking a device (a log entry). Requests carry {@code Authorization: Bearer <token>}
 * with the token from the data directory's {@code admin.token}; compared in constant time.
 */
final class AdminApi {
    private static final Set<String> REVOKE = Set.of("device", "reason");
    private final byte[] token;
    private final LogWriter writer;
    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    AdminApi(String token, LogWriter writer, ExecutorService blocking, MeterRegistry metrics) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.writer = writer;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    void mount(Router router) {
        // The body is read first (Vert.x wants body handlers before user handlers), then the token is checked.
        router.post("/api/admin/v1/revoke").handler(BodyHandler.create(false).setBodyLimit(8192)).handler(this::authorised)
                .handler(ctx -> OfficerApi.offload(ctx, blocking, this::revoke));
    }

    private void authorised(RoutingContext ctx) {
        String given = ctx.request().getHeader("Authorization");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            ErrorBody.send(ctx.response(), 401, "administrator token required", List.of(new FieldError("Authorization",
                    "bearer", "must be 'Bearer <the token in admin.token>'")));
            return;
        }
        ctx.next();
    }

    private OfficerApi.Answer revoke(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = OfficerApi.object(body, errors, REVOKE);
        if (root == null) return OfficerApi.Answer.refuse(400, "the body is not a JSON object", errors);
        String device = OfficerApi.device(root, "device", errors);
        JsonNode reason = root.get("reason");
        if (reason == null || !reason.isTextual() || reason.textValue().strip().length() < 5 || reason.textValue().length() > 500)
            errors.add(new FieldError("reason", "length", "say why, in 5 to 500 characters"));
        if (!errors.isEmpty()) return OfficerApi.Answer.refuse(400, "the revocation is malformed", errors);
        return OfficerApi.submit(writer, metrics, new DeviceRevoked(Instant.now().truncatedTo(ChronoUnit.MILLIS), device,
                reason.textValue()));
    }
}
