package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON in one canonical form: no whitespace, object keys sorted by UTF-16 code units, integers only, strings
 * escaped as RFC 8785 (JCS) does. For values made of integers and strings this equals JCS output, so any JCS library
 * reproduces our bytes.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static byte[] write(JsonNode node) {
        CanonicalWriter w = new CanonicalWriter(256);
        write(node, w);
        return w.toByteArray();
    }

    private static void write(JsonNode node, CanonicalWriter w) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) fields.add(it.next());
                fields.sort(Map.Entry.comparingByKey());
                w.raw("{");
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) w.raw(",");
                    w.string(fields.get(i).getKey()).raw(":");
                    write(fields.get(i).getValue(), w);
                }
                w.raw("}");
            }
            case ARRAY -> {
                w.raw("[");
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) w.raw(",");
                    write(node.get(i), w);
                }
                w.raw("]");
            }
            case STRING -> w.string(node.textValue());
            case NUMBER -> {
                if (!node.canConvertToExactIntegral() || !node.canConvertToLong())
                    throw new IllegalArgumentException("canonical JSON holds integers only, got " + node);
                w.number(node.longValue());
            }
            case BOOLEAN -> w.raw(node.booleanValue() ? "true" : "false");
            case NULL -> w.raw("null");
            default -> throw new IllegalArgumentException("cannot encode " + node.getNodeType());
        }
    }
}
