package org.rekap.publish;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** The compressed variants every document is published in, computed once when it is rendered, never per request. */
final class Encodings {
    /** Brotli quality: 5 compresses about as fast as gzip -6 and 10-20% smaller; 11 would be 50x slower. */
    private static final int BROTLI_QUALITY = 5;
    private static final boolean BROTLI = loadBrotli();

    private Encodings() {}

    private static boolean loadBrotli() {
        try {
            Brotli4jLoader.ensureAvailability();
            return true;
        } catch (Throwable e) { // no native library for this platform: serve gzip and identity only
            return false;
        }
    }

    static boolean brotliAvailable() {
        return BROTLI;
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Brotli bytes, or null when brotli is unavailable here. */
    static byte[] brotli(byte[] body) {
        if (!BROTLI) return null;
        try {
            return Encoder.compress(body, new Encoder.Parameters().setQuality(BROTLI_QUALITY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
