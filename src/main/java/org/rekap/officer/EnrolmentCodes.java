package org.rekap.officer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Enrolment codes as officers type them: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U),
 * printed in groups of four ({@code K7QM-4XHD-9RWB}), about 60 bits. Dashes, spaces and case are ignored on entry.
 */
public final class EnrolmentCodes {
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private EnrolmentCodes() {}

    public static String generate() {
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) sb.append('-');
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The stored form: SHA-256 of the normalised code. */
    public static byte[] hash(String code) {
        String normal = code.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        try {
            return MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
