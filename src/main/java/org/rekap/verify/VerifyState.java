package org.rekap.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Optional;
import org.rekap.codec.Json;

/**
 * What a verifier remembers between runs: the last checkpoint it verified completely (origin, size, root hash), the
 * verifier key it trusted, when and from where. The next run requires the log to have grown from there consistently.
 * Stored as a small JSON file, replaced atomically.
 */
public record VerifyState(String origin, long size, byte[] rootHash, String verifierKey, String verifiedAt,
        String source) {

    /** {@code ~/.rekap/verify-<origin with anything but letters, digits, '.', '_', '-' as '_'>.json}. */
    public static Path defaultPath(String origin) {
        return Path.of(System.getProperty("user.home"), ".rekap", "verify-" + sanitize(origin) + ".json");
    }

    static String sanitize(String origin) {
        String s = origin.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "_" : s;
    }

    /**
     * Reads a state file, or empty when there is none.
     *
     * @throws IOException when it exists but cannot be read or is not a state file (saying which field is wrong)
     */
    public static Optional<VerifyState> read(Path file) throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new IOException(file + " is not a JSON object");
        String origin = text(file, n, "origin");
        JsonNode size = n.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0)
            throw new IOException(file + ": size is not a tree size");
        byte[] root;
        try {
            root = Base64.getDecoder().decode(text(file, n, "root"));
        } catch (IllegalArgumentException e) {
            root = null;
        }
        if (root == null || root.length != 32) throw new IOException(file + ": root is not the base64 of 32 bytes");
        return Optional.of(new VerifyState(origin, size.asLong(), root, text(file, n, "verifierKey"),
                n.path("verifiedAt").asText(""), n.path("source").asText("")));
    }

    private static String text(Path file, JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new IOException(file + ": " + field + " is missing");
        return v.asText();
    }

    /** Writes the state: to a temporary file next to it, then moved over it. */
    public void write(Path file) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("origin", origin);
        o.put("size", size);
        o.put("root", Base64.getEncoder().encodeToString(rootHash));
        o.put("verifierKey", verifierKey);
        o.put("verifiedAt", verifiedAt);
        o.put("source", source);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".verify-", ".tmp");
        try {
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }
}
