package org.rekap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The administrator's API token: 32 random bytes, base64url, in {@code <data>/admin.token} readable by its owner only. */
final class AdminToken {
    static final String FILE = "admin.token";

    private AdminToken() {}

    static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8).strip();
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Files.createDirectories(dataDir);
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return token;
    }
}
