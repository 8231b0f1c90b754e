package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
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
        StringBuilder sb = new StringBuilder(256);
        write(node, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder sb) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) fields.add(it.next());
                fields.sort(Map.Entry.comparingByKey());
                sb.append('{');
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) sb.append(',');
                    string(fields.get(i).getKey(), sb);
                    sb.append(':');
                    write(fields.get(i).getValue(), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(node.get(i), sb);
                }
                sb.append(']');
            }
            case STRING -> string(node.textValue(), sb);
            case NUMBER -> {
                if (!node.canConvertToExactIntegral() || !node.canConvertToLong())
                    throw new IllegalArgumentException("canonical JSON holds integers only, got " + node);
                sb.append(node.longValue());
            }
            case BOOLEAN -> sb.append(node.booleanValue());
            case NULL -> sb.append("null");
            default -> throw new IllegalArgumentException("cannot encode " + node.getNodeType());
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        sb.append(c).append(s.charAt(++i));
                    else if (Character.isSurrogate(c))
                        // UTF-8 cannot encode it: writing '?' would give two strings one encoding (RFC 8785 refuses too).
                        throw new IllegalArgumentException("canonical JSON cannot hold a lone surrogate (at index " + i + ")");
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

}
