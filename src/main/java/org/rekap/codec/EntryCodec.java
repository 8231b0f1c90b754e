package org.rekap.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.DeviceRevoked;
import org.rekap.ledger.Entry;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.sheet.TallySheet;

/**
 * The canonical bytes of log entries: {@link CanonicalJson} of {@code {"type":..,"v":1,...}} (docs/formats.md).
 * Decoding refuses any bytes that do not re-encode to themselves, so every entry has exactly one valid encoding.
 */
public final class EntryCodec {
    public static final int VERSION = 1;
    static final Pattern DEVICE = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> SHEET = Set.of("type", "v", "receivedAt", "submissionId", "sheet", "device", "signature");
    private static final Set<String> ENROL = Set.of("type", "v", "receivedAt", "device", "publicKey", "role", "scope");
    private static final Set<String> REVOKE = Set.of("type", "v", "receivedAt", "device", "reason");
    private static final Set<String> REVIEW = Set.of("type", "v", "receivedAt", "decisionId", "reviewer", "tps", "contest",
            "sheetSeq", "verdict", "corrected", "reason", "signature");

    private EntryCodec() {}

    public static byte[] encode(Entry entry) {
        if (entry instanceof SheetSubmitted s) return encode(s, SheetJson.canonical(s.sheet()));
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", entry.type());
        o.put("v", VERSION);
        o.put("receivedAt", entry.receivedAt().toString());
        switch (entry) {
            case SheetSubmitted s -> throw new AssertionError("encoded above");
            case DeviceEnrolled d -> {
                o.put("device", d.device());
                o.put("publicKey", b64(d.publicKey()));
                o.put("role", d.role().id());
                o.put("scope", d.scope());
            }
            case DeviceRevoked d -> {
                o.put("device", d.device());
                o.put("reason", d.reason());
            }
            case ReviewDecided r -> {
                o.put("decisionId", r.decisionId());
                o.put("reviewer", r.reviewer());
                o.put("tps", r.tps());
                o.put("contest", r.contest());
                o.put("sheetSeq", r.sheetSeq());
                o.put("verdict", r.verdict().id());
                if (r.corrected() != null) o.set("corrected", SheetJson.write(r.corrected()));
                o.put("reason", r.reason());
                o.put("signature", b64(r.signature()));
            }
        }
        return CanonicalJson.write(o);
    }

    /**
     * A sheet entry from its sheet's canonical bytes ({@link SheetJson#canonical}, shared with the signed payload):
     * the keys device, receivedAt, sheet, signature, submissionId, type, v are in sorted order already.
     */
    public static byte[] encode(SheetSubmitted s, byte[] canonicalSheet) {
        return new CanonicalWriter(canonicalSheet.length + 400).raw("{\"device\":").string(s.device())
                .raw(",\"receivedAt\":").string(s.receivedAt().toString()).raw(",\"sheet\":").raw(canonicalSheet)
                .raw(",\"signature\":").string(b64(s.signature())).raw(",\"submissionId\":").string(s.submissionId())
                .raw(",\"type\":\"" + SheetSubmitted.TYPE + "\",\"v\":").number(VERSION).raw("}").toByteArray();
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
        FieldReader r = new FieldReader();
        Entry entry = switch (type) {
            case SheetSubmitted.TYPE -> {
                r.object(node, "", SHEET);
                String id = r.text(node, "submissionId", "", 128);
                TallySheet sheet = SheetJson.read(node.get("sheet"), "sheet", r);
                String device = device(r, node, "device");
                byte[] sig = signature(r, node);
                yield r.errors().isEmpty() ? new SheetSubmitted(id, receivedAt, sheet, device, sig) : null;
            }
            case DeviceEnrolled.TYPE -> {
                r.object(node, "", ENROL);
                String device = device(r, node, "device");
                byte[] key = bytes(r, node, "publicKey", 32);
                Role role = null;
                try {
                    role = Role.fromId(r.text(node, "role", "", 16));
                } catch (IllegalArgumentException e) {
                    r.error("role", "enum", "must be officer or reviewer");
                }
                String scope = r.text(node, "scope", "", 64);
                yield r.errors().isEmpty() ? new DeviceEnrolled(receivedAt, device, key, role, scope) : null;
            }
            case DeviceRevoked.TYPE -> {
                r.object(node, "", REVOKE);
                String device = device(r, node, "device");
                String reason = r.text(node, "reason", "", 500);
                yield r.errors().isEmpty() ? new DeviceRevoked(receivedAt, device, reason) : null;
            }
            case ReviewDecided.TYPE -> {
                r.object(node, "", REVIEW);
                String decisionId = r.text(node, "decisionId", "", 128);
                String reviewer = device(r, node, "reviewer");
                String tps = r.text(node, "tps", "", 64);
                String contest = r.text(node, "contest", "", 64);
                long sheetSeq = node.path("sheetSeq").canConvertToLong() && node.path("sheetSeq").isIntegralNumber()
                        ? node.path("sheetSeq").longValue() : -1;
                if (sheetSeq < 0) r.error("sheetSeq", "type", "must be a log position");
                ReviewDecided.Verdict verdict = null;
                try {
                    verdict = ReviewDecided.Verdict.valueOf(r.text(node, "verdict", "", 16).toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    r.error("verdict", "enum", "must be accept or correct");
                }
                TallySheet corrected = node.has("corrected") ? SheetJson.read(node.get("corrected"), "corrected", r) : null;
                String reason = r.text(node, "reason", "", 2000);
                byte[] sig = signature(r, node);
                if (r.errors().isEmpty() && (verdict == ReviewDecided.Verdict.CORRECT) != (corrected != null))
                    r.error("corrected", "verdict", "a correction carries a corrected sheet, an acceptance none");
                yield r.errors().isEmpty()
                        ? new ReviewDecided(receivedAt, decisionId, reviewer, tps, contest, sheetSeq, verdict, corrected, reason, sig)
                        : null;
            }
            default -> throw new IllegalArgumentException("unknown entry type '" + type + "'");
        };
        if (entry == null)
            throw new IllegalArgumentException(type + " entry: " + r.errors().getFirst().field() + " " + r.errors().getFirst().message());
        if (!Arrays.equals(encode(entry), bytes)) throw new IllegalArgumentException("entry bytes are not canonical");
        return entry;
    }

    private static String device(FieldReader r, JsonNode node, String field) {
        String d = r.text(node, field, "", 32);
        if (!d.isEmpty() && !DEVICE.matcher(d).matches()) r.error(field, "pattern", "must be 32 lower-case hex digits");
        return d;
    }

    private static byte[] signature(FieldReader r, JsonNode node) {
        return bytes(r, node, "signature", 64);
    }

    static byte[] bytes(FieldReader r, JsonNode node, String field, int length) {
        String text = r.text(node, field, "", 200);
        try {
            byte[] b = Base64.getDecoder().decode(text);
            if (b.length == length && b64(b).equals(text)) return b;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (!text.isEmpty()) r.error(field, "base64", "must be " + length + " bytes in standard base64");
        return new byte[length];
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
