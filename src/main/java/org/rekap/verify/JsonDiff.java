package org.rekap.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares a published JSON value with the expected one, field by field, and reports each difference with its field
 * path ({@code totals.choices[2]}). Numbers compare by value, whatever their JSON spelling. An expected {@code null}
 * means the field must be absent or null; an expected {@code false} may be absent. Fields the expectation does not
 * know are reported separately: they are not covered by the replay.
 */
final class JsonDiff {
    /** Receives the differences. */
    interface Sink {
        /** {@code field} differs: what the replay gives and what the document says ({@code null}: absent). */
        void differs(String field, String expected, String found);

        /** The document has a field the replay says nothing about. */
        default void unknown(String field) {}
    }

    private JsonDiff() {}

    static void compare(JsonNode expected, JsonNode found, String field, Sink sink) {
        boolean absent = found == null || found.isMissingNode();
        if (expected.isNull()) {
            if (!absent && !found.isNull()) sink.differs(field, null, show(found));
            return;
        }
        if (absent) {
            if (expected.isBoolean() && !expected.booleanValue()) return;
            sink.differs(field, show(expected), null);
            return;
        }
        if (expected.isObject()) {
            if (!found.isObject()) {
                sink.differs(field, "an object", show(found));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                var e = it.next();
                compare(e.getValue(), found.get(e.getKey()), join(field, e.getKey()), sink);
            }
            for (Iterator<String> it = found.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!expected.has(name)) sink.unknown(join(field, name));
            }
            return;
        }
        if (expected.isArray()) {
            if (!found.isArray()) {
                sink.differs(field, "an array", show(found));
                return;
            }
            if (expected.size() != found.size())
                sink.differs(field + ".length", Integer.toString(expected.size()), Integer.toString(found.size()));
            for (int i = 0; i < Math.min(expected.size(), found.size()); i++)
                compare(expected.get(i), found.get(i), field + "[" + i + "]", sink);
            return;
        }
        if (!same(expected, found)) sink.differs(field, show(expected), show(found));
    }

    private static boolean same(JsonNode e, JsonNode f) {
        if (e.isIntegralNumber()) return f.isIntegralNumber() && f.bigIntegerValue().equals(e.bigIntegerValue());
        if (e.isNumber()) return f.isNumber() && f.decimalValue().compareTo(e.decimalValue()) == 0;
        if (e.isTextual()) return f.isTextual() && f.textValue().equals(e.textValue());
        if (e.isBoolean()) return f.isBoolean() && f.booleanValue() == e.booleanValue();
        return e.equals(f);
    }

    static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) return null;
        if (n.isTextual()) return "\"" + n.textValue() + "\"";
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private static String join(String field, String name) {
        return field.isEmpty() ? name : field + "." + name;
    }
}
