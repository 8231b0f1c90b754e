package org.rekap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import org.rekap.ledger.NoteSigner;

/** The log's signing key on disk: one line in Go's note format ({@code PRIVATE+KEY+<origin>+<id>+<key>}). */
final class LogKeys {
    static final String FILE = "log.key";

    private LogKeys() {}

    static NoteSigner load(Path file) throws IOException {
        if (!Files.exists(file))
            throw new IllegalArgumentException("no signing key at " + file + "; make one with 'rekap keygen --out " + file
                    + " --origin <your.domain/election>'");
        try {
            return NoteSigner.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signing key in " + file + " is not a note private key: " + e.getMessage());
        }
    }

    /** Writes a new key readable only by its owner; refuses to overwrite one. */
    static NoteSigner create(Path file, String origin) throws IOException {
        if (Files.exists(file)) throw new IllegalArgumentException(file + " already exists; a log keeps its key for life");
        NoteSigner signer = NoteSigner.generate(origin, new SecureRandom());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, signer.privateKey() + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        Files.move(tmp, file);
        return signer;
    }

    static NoteSigner loadOrCreate(Path file, String origin) throws IOException {
        return Files.exists(file) ? load(file) : create(file, origin);
    }

    /** A default origin from an election's name: {@code rekap.local/pemilu-2024}. */
    static String defaultOrigin(String electionName) {
        String slug = electionName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return "rekap.local/" + (slug.isEmpty() ? "election" : slug);
    }
}
