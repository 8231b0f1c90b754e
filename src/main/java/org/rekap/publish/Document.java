package org.rekap.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One public document, immutable in content, served in identity, gzip and brotli. Most documents keep their bytes
 * ({@link #kept}): compressed once, eagerly for the hot ones (the upper levels of the tree, every reader asks for
 * them) and on first request for the rest. The deep region documents of a snapshot are not kept: their bytes are
 * rendered from the snapshot's frozen numbers when asked for (and cached, bounded, by {@link LazyDocuments}), while
 * their tag is known without rendering.
 */
public final class Document {
    private final String contentType;
    private final byte[] identity;
    private final Source source;
    private final String etag;
    private final long logSize;
    private volatile byte[] gzip;
    private volatile byte[] brotli;
    private volatile boolean brotliDone;

    /** Where a document that is not kept gets its bytes in each coding. */
    interface Source {
        byte[] bytes(Coding coding);
    }

    enum Coding { IDENTITY, GZIP, BROTLI }

    private Document(String contentType, byte[] identity, Source source, String etag, long logSize) {
        this.contentType = contentType;
        this.identity = identity;
        this.source = source;
        this.etag = etag;
        this.logSize = logSize;
    }

    /** A document of these bytes; {@code hot} ones are compressed now, the rest on first request. */
    public static Document of(String contentType, byte[] body, long logSize, boolean hot) {
        Document d = new Document(contentType, body, null, etag(body), logSize);
        if (hot) {
            d.gzip();
            d.brotliOrNull();
        }
        return d;
    }

    /** A document of these bytes under a tag made elsewhere (that of the same bytes served lazily). */
    static Document kept(String contentType, byte[] body, String etag, long logSize) {
        return new Document(contentType, body, null, etag, logSize);
    }

    /** A document whose bytes come from {@code source} on each call; {@code etag} must name exactly those bytes. */
    static Document rendered(String contentType, String etag, long logSize, Source source) {
        return new Document(contentType, null, source, etag, logSize);
    }

    /** Whether the bytes live as long as this object (so a server may prepare them once), or are fetched per call. */
    public boolean kept() {
        return source == null;
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
        return source != null ? source.bytes(Coding.IDENTITY) : identity;
    }

    public byte[] gzip() {
        if (source != null) return source.bytes(Coding.GZIP);
        byte[] g = gzip;
        if (g == null) gzip = g = Encodings.gzip(identity); // a race computes the same bytes twice, harmlessly
        return g;
    }

    /** Brotli bytes, or null when brotli is not available on this platform. */
    public byte[] brotliOrNull() {
        if (source != null) return Encodings.brotliAvailable() ? source.bytes(Coding.BROTLI) : null;
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
        return tag(sha256().digest(body));
    }

    static String tag(byte[] hash) {
        return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
