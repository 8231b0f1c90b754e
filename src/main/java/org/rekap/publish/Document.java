package org.rekap.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One public document, immutable in content, served in identity, gzip and brotli. The compressed forms are made once:
 * eagerly for the hot documents (the upper levels of the tree, every reader asks for them), and on first request for
 * the many deep ones, so that a national snapshot of a quarter million documents is ready in seconds rather than
 * spending a minute compressing pages nobody has asked for yet.
 */
public final class Document {
    private final String contentType;
    private final byte[] identity;
    private final String etag;
    private final long logSize;
    private volatile byte[] gzip;
    private volatile byte[] brotli;
    private volatile boolean brotliDone;

    private Document(String contentType, byte[] identity, long logSize) {
        this.contentType = contentType;
        this.identity = identity;
        this.etag = etag(identity);
        this.logSize = logSize;
    }

    /** A document of these bytes; {@code hot} ones are compressed now, the rest on first request. */
    public static Document of(String contentType, byte[] body, long logSize, boolean hot) {
        Document d = new Document(contentType, body, logSize);
        if (hot) {
            d.gzip();
            d.brotliOrNull();
        }
        return d;
    }

    public String contentType() {
        return contentType;
    }

    /** Strong validator of the content (quoted); each coding appends its own suffix when served. */
    public String etag() {
        return etag;
    }

    /** The log size of the snapshot this document was rendered in. */
    public long logSize() {
        return logSize;
    }

    public byte[] identity() {
        return identity;
    }

    public byte[] gzip() {
        byte[] g = gzip;
        if (g == null) gzip = g = Encodings.gzip(identity); // a race computes the same bytes twice, harmlessly
        return g;
    }

    /** Brotli bytes, or null when brotli is not available on this platform. */
    public byte[] brotliOrNull() {
        if (!brotliDone) {
            brotli = Encodings.brotli(identity);
            brotliDone = true;
        }
        return brotli;
    }

    /** Whether brotli can be offered (without compressing anything yet). */
    public boolean brotliAvailable() {
        return Encodings.brotliAvailable();
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
