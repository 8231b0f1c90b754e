package org.rekap.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One public document, immutable, in every encoding it is served in. Hot documents (the upper levels of the tree)
 * keep their identity bytes; the many deep ones keep only gzip and brotli, and a rare client that accepts neither
 * gets the gzip inflated on the fly.
 *
 * @param etag strong validator of the content (quoted); each encoding appends its own suffix
 * @param logSize the log size of the snapshot this document was rendered in
 */
public record Document(String contentType, byte[] identityOrNull, byte[] gzip, byte[] brotliOrNull, String etag,
        long logSize) {

    public static Document of(String contentType, byte[] body, long logSize, boolean keepIdentity) {
        return new Document(contentType, keepIdentity ? body : null, Encodings.gzip(body), Encodings.brotli(body),
                etag(body), logSize);
    }

    public byte[] identity() {
        return identityOrNull != null ? identityOrNull : Encodings.gunzip(gzip);
    }

    static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
