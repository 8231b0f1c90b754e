package org.rekap.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import org.rekap.codec.Json;
import org.rekap.sheet.FieldError;

/** The one error shape: {@code {"error":{"status":..,"message":..,"fields":[{"field","rule","message"}]}}}. */
final class ErrorBody {
    private ErrorBody() {}

    static void send(HttpServerResponse response, int status, String message, List<FieldError> fields) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("status", status);
        e.put("message", message);
        ArrayNode fs = e.putArray("fields");
        for (FieldError f : fields) fs.addObject().put("field", f.field()).put("rule", f.rule()).put("message", f.message());
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(root.toString());
    }
}
