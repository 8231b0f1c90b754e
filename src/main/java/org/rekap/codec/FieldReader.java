package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.rekap.sheet.FieldError;

/**
 * Reads typed fields out of a JSON tree and collects one {@link FieldError} per bad field (named by its full path),
 * so a client learns everything that is wrong with a request at once. Missing or mistyped values read as 0 / "" and
 * the caller must not use the result when {@link #errors()} is non-empty.
 */
final class FieldReader {
    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return errors;
    }

    void error(String field, String rule, String message) {
        errors.add(new FieldError(field, rule, message));
    }

    /** The object at node, refusing fields outside {@code allowed}; null (with an error) if it is not an object. */
    JsonNode object(JsonNode node, String path, Set<String> allowed) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            error(path, "required", "is required");
            return null;
        }
        if (!node.isObject()) {
            error(path, "type", "must be an object");
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) error(join(path, name), "unknown_field", "is not a field here");
        }
        return node;
    }

    int integer(JsonNode parent, String name, String path) {
        JsonNode v = parent.get(name);
        String f = join(path, name);
        if (v == null || v.isNull()) {
            error(f, "required", "is required");
            return 0;
        }
        if (!v.isIntegralNumber()) {
            error(f, "type", "must be a whole number");
            return 0;
        }
        if (!v.canConvertToInt()) {
            error(f, "range", "must fit in a 32-bit integer");
            return 0;
        }
        return v.intValue();
    }

    String text(JsonNode parent, String name, String path, int maxLength) {
        JsonNode v = parent.get(name);
        String f = join(path, name);
        if (v == null || v.isNull()) {
            error(f, "required", "is required");
            return "";
        }
        if (!v.isTextual()) {
            error(f, "type", "must be a string");
            return "";
        }
        String s = v.textValue();
        if (s.isEmpty() || s.length() > maxLength) {
            error(f, "length", "must be 1 to " + maxLength + " characters");
            return "";
        }
        return s;
    }

    /** The array at parent.name, or an empty one (with an error unless optional) when missing or mistyped. */
    List<JsonNode> array(JsonNode parent, String name, String path, boolean optional, int maxSize) {
        JsonNode v = parent.get(name);
        String f = join(path, name);
        if (v == null || v.isNull()) {
            if (!optional) error(f, "required", "is required");
            return List.of();
        }
        if (!v.isArray()) {
            error(f, "type", "must be an array");
            return List.of();
        }
        if (v.size() > maxSize) {
            error(f, "size", "must have at most " + maxSize + " items");
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
