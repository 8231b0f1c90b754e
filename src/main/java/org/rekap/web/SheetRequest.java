package org.rekap.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.officer.DeviceKeys;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.TallySheet;

/**
 * The body of {@code POST /api/officer/v1/sheets}: {@code {submissionId, sheet, device, signature}}. Read straight
 * from the token stream when it is well-formed (nearly always), else from a tree, field by field, to name every
 * field that is wrong and why.
 */
record SheetRequest(String submissionId, TallySheet sheet, String device, byte[] signature) {
    static final Set<String> FIELDS = Set.of("submissionId", "sheet", "device", "signature");
    /** The fields in the order of the bits {@link #stream} marks them with. */
    private static final List<String> ORDER = List.copyOf(FIELDS);

    /** The request when every field is as {@link #tree} accepts it; null when anything is off (then ask the tree). */
    static SheetRequest stream(byte[] body) {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            String submissionId = null, device = null;
            byte[] signature = null;
            TallySheet sheet = null;
            int seen = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) return null;
                String name = p.currentName();
                int field = ORDER.indexOf(name);
                if (field < 0 || (seen & 1 << field) != 0) return null; // unknown or repeated
                seen |= 1 << field;
                if (name.equals("sheet")) {
                    if ((sheet = SheetJson.stream(p)) == null) return null;
                    continue;
                }
                if (p.nextToken() != JsonToken.VALUE_STRING) return null;
                String v = p.getText();
                switch (name) {
                    case "submissionId" -> submissionId = OfficerApi.ID.matcher(v).matches() ? v : null;
                    case "device" -> device = OfficerApi.DEVICE.matcher(v).matches() ? v : null;
                    default -> signature = signature(v);
                }
            }
            // Whatever follows the object is for the tree reader to judge.
            if (p.nextToken() != null || submissionId == null || device == null || signature == null || sheet == null)
                return null;
            return new SheetRequest(submissionId, sheet, device, signature);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] signature(String base64) {
        try {
            byte[] b = Base64.getDecoder().decode(base64);
            return b.length == DeviceKeys.SIGNATURE_BYTES ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The request read from the tree of the body ({@link OfficerApi#object}, whose errors {@code errors} holds), with
     * an error for every field that is wrong; null if there is any.
     */
    static SheetRequest tree(JsonNode root, List<FieldError> errors) {
        String submissionId = OfficerApi.id(root, "submissionId", errors);
        String device = OfficerApi.device(root, "device", errors);
        byte[] signature = OfficerApi.base64(root, "signature", DeviceKeys.SIGNATURE_BYTES, errors);
        SheetJson.Parsed parsed = SheetJson.read(root.get("sheet"), "sheet");
        errors.addAll(parsed.errors());
        return !errors.isEmpty() ? null : new SheetRequest(submissionId, parsed.sheet(), device, signature);
    }
}
