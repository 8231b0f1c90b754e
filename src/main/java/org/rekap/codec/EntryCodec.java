package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import org.rekap.ledger.Entry;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.sheet.TallySheet;

/**
 * The canonical bytes of log entries: {@link CanonicalJson} of {@code {"type":..,"v":1,...}}. Decoding refuses any
 * bytes that do not re-encode to themselves, so every entry has exactly one valid encoding.
 */
public final class EntryCodec {
    public static final int VERSION = 1;
    private static final Set<String> SHEET_ENTRY_FIELDS = Set.of("type", "v", "submissionId", "receivedAt", "sheet");

    private EntryCodec() {}

    public static byte[] encode(Entry entry) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", entry.type());
        o.put("v", VERSION);
        o.put("receivedAt", entry.receivedAt().toString());
        switch (entry) {
            case SheetSubmitted s -> {
                o.put("submissionId", s.submissionId());
                o.set("sheet", SheetJson.write(s.sheet()));
            }
        }
        return CanonicalJson.write(o);
    }

    /** @throws IllegalArgumentException saying what is wrong with the bytes */
    public static Entry decode(byte[] bytes) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("entry is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("entry is not a JSON object");
        String type = node.path("type").asText("");
        if (node.path("v").asInt(-1) != VERSION) throw new IllegalArgumentException("entry version is not " + VERSION);
        Instant receivedAt;
        try {
            receivedAt = Instant.parse(node.path("receivedAt").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("entry receivedAt is not an ISO-8601 instant");
        }
        Entry entry = switch (type) {
            case SheetSubmitted.TYPE -> {
                FieldReader r = new FieldReader();
                r.object(node, "", SHEET_ENTRY_FIELDS);
                String id = r.text(node, "submissionId", "", 128);
                TallySheet sheet = SheetJson.read(node.get("sheet"), "sheet", r);
                if (!r.errors().isEmpty())
                    throw new IllegalArgumentException("sheet entry: " + r.errors().getFirst().field() + " "
                            + r.errors().getFirst().message());
                yield new SheetSubmitted(id, receivedAt, sheet);
            }
            default -> throw new IllegalArgumentException("unknown entry type '" + type + "'");
        };
        if (!Arrays.equals(encode(entry), bytes)) throw new IllegalArgumentException("entry bytes are not canonical");
        return entry;
    }
}
