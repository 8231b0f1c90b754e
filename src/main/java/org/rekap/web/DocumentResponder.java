package org.rekap.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import org.rekap.publish.Document;

/**
 * Writes a precomputed document with as little per-request work as a static file server: the body of each coding is
 * a direct buffer made once per document (written as a slice, never copied), header names and values are
 * pre-encoded, and only the If-None-Match comparison and the choice of coding happen per request. A document that is
 * not kept (a deep one, rendered from its snapshot's numbers on request) is answered from its tag alone when the
 * client revalidates, and otherwise from the bytes of the one coding it accepts, without preparing the others.
 */
final class DocumentResponder {
    private static final CharSequence VARY_VALUE = HttpHeaders.createOptimized("Accept-Encoding");
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
    private static final CharSequence BR = HttpHeaders.createOptimized("br");
    private static final CharSequence IDENTITY = HttpHeaders.createOptimized("identity");
    private static final CharSequence LOG_SIZE = HttpHeaders.createOptimized("X-Rekap-Log-Size");

    /** Each coding's body and headers for one document, made on its first request. */
    private record Prepared(Buffer identity, Buffer gzip, Buffer brotli, CharSequence type, CharSequence etag,
            CharSequence etagGz, CharSequence etagBr, CharSequence lengthId, CharSequence lengthGz, CharSequence lengthBr) {
        static Prepared of(Document d) {
            byte[] br = d.brotliOrNull();
            return of(d, direct(d.identity()), direct(d.gzip()), br == null ? null : direct(br));
        }

        /** Headers of a document that is not kept, and the body of the one coding asked for (the others null). */
        static Prepared once(Document d, String coding) {
            byte[] body = switch (coding) {
                case "br" -> d.brotliOrNull();
                case "gzip" -> d.gzip();
                default -> d.identity();
            };
            Buffer b = BufferInternal.buffer(Unpooled.wrappedBuffer(body));
            return of(d, coding.equals("identity") ? b : null, coding.equals("gzip") ? b : null, coding.equals("br") ? b : null);
        }

        private static Prepared of(Document d, Buffer identity, Buffer gzip, Buffer brotli) {
            String bare = d.etag().substring(0, d.etag().length() - 1);
            return new Prepared(identity, gzip, brotli, HttpHeaders.createOptimized(d.contentType()),
                    HttpHeaders.createOptimized(d.etag()), HttpHeaders.createOptimized(bare + "-gz\""),
                    HttpHeaders.createOptimized(bare + "-br\""), length(identity), length(gzip), length(brotli));
        }

        private static CharSequence length(Buffer b) {
            return b == null ? null : HttpHeaders.createOptimized(Integer.toString(b.length()));
        }
    }

    /** Weak keys: a document's buffers go when no snapshot holds the document any more. */
    private final Cache<Document, Prepared> prepared = Caffeine.newBuilder().weakKeys().build();
    private volatile CharSequence date;
    private volatile long logSizeOf = -1;
    private volatile CharSequence logSizeValue = HttpHeaders.createOptimized("-1");

    void date(String httpDate) {
        date = HttpHeaders.createOptimized(httpDate);
    }

    CharSequence date() {
        return date;
    }

    void send(HttpServerRequest req, Document doc, long logSize, CharSequence cacheControl) {
        String coding = ContentCoding.choose(req.getHeader(HttpHeaderNames.ACCEPT_ENCODING), doc.brotliAvailable());
        boolean fresh = ContentCoding.matches(req.getHeader(HttpHeaderNames.IF_NONE_MATCH), doc.etag());
        // A document that is not kept is rendered (or taken from its cache) only when its body is sent.
        Prepared p = doc.kept() ? prepared.get(doc, Prepared::of) : Prepared.once(doc, fresh ? "none" : coding);
        HttpServerResponse r = req.response();
        MultiMap h = r.headers();
        if (logSize != logSizeOf) {
            logSizeValue = HttpHeaders.createOptimized(Long.toString(logSize));
            logSizeOf = logSize;
        }
        h.set(HttpHeaderNames.DATE, date).set(HttpHeaderNames.CONTENT_TYPE, p.type()).set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
                .set(HttpHeaderNames.VARY, VARY_VALUE).set(LOG_SIZE, logSizeValue);
        CharSequence etag = switch (coding) {
            case "br" -> p.etagBr();
            case "gzip" -> p.etagGz();
            default -> p.etag();
        };
        h.set(HttpHeaderNames.ETAG, etag);
        if (fresh) {
            r.setStatusCode(304).end();
            return;
        }
        Buffer body;
        switch (coding) {
            case "br" -> {
                body = p.brotli();
                h.set(HttpHeaderNames.CONTENT_ENCODING, BR).set(HttpHeaderNames.CONTENT_LENGTH, p.lengthBr());
            }
            case "gzip" -> {
                body = p.gzip();
                h.set(HttpHeaderNames.CONTENT_ENCODING, GZIP).set(HttpHeaderNames.CONTENT_LENGTH, p.lengthGz());
            }
            default -> {
                body = p.identity();
                // "identity" also keeps the server from compressing these bytes on the fly.
                h.set(HttpHeaderNames.CONTENT_ENCODING, IDENTITY).set(HttpHeaderNames.CONTENT_LENGTH, p.lengthId());
            }
        }
        if (req.method() == HttpMethod.HEAD) r.end();
        else r.end(body);
    }

    private static Buffer direct(byte[] bytes) {
        return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)));
    }
}
