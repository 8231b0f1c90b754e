package org.rekap.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;

/** One structured line per notable event, as JSON on stdout: {@code {"ts":..,"event":..,...}}. */
public final class EventLog {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static volatile PrintStream out = System.out;

    private EventLog() {}

    /** Redirects the log (tests, the demo's quiet mode). */
    public static void to(PrintStream stream) {
        out = stream;
    }

    /** Logs an event with key/value pairs: {@code event("sheet_accepted", "tps", code, "seq", 12)}. */
    public static void event(String event, Object... kv) {
        StringWriter w = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.now().toString());
            g.writeStringField("event", event);
            for (int i = 0; i + 1 < kv.length; i += 2) {
                String k = String.valueOf(kv[i]);
                Object v = kv[i + 1];
                if (v instanceof Number n) {
                    if (n instanceof Double || n instanceof Float) g.writeNumberField(k, n.doubleValue());
                    else g.writeNumberField(k, n.longValue());
                } else if (v instanceof Boolean b) g.writeBooleanField(k, b);
                else g.writeStringField(k, String.valueOf(v));
            }
            g.writeEndObject();
        } catch (IOException e) {
            return;
        }
        out.println(w);
    }
}
