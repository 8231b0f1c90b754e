package org.rekap.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Photos of sheet pages as content-addressed files: {@code <dir>/<first 2 hex>/<sha256>}. A file is written to a
 * temporary name, forced to disk, then renamed, so a photo is either whole or absent. The same bytes twice are
 * stored once.
 */
public final class PhotoStore {
    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path dir;

    public PhotoStore(Path dir) {
        this.dir = dir;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean has(String sha256) {
        return Files.exists(path(sha256));
    }

    /** Stores bytes whose SHA-256 the caller has checked; durable when this returns. */
    public void put(String sha256, byte[] bytes) {
        Path target = path(sha256);
        if (Files.exists(target)) return;
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), sha256, ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store photo " + sha256 + ": " + e.getMessage(), e);
        }
    }

    /** The image type from the first bytes, or null: JPEG, PNG and WebP are accepted. */
    public static String imageType(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return "image/jpeg";
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0D
                && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) return "image/png";
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') return "image/webp";
        return null;
    }
}
