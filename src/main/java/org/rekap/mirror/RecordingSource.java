package org.rekap.mirror;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.rekap.verify.NotFoundException;
import org.rekap.verify.Source;
import org.rekap.verify.SourceException;

/**
 * The origin over HTTP, keeping every answer for the mirror to serve once the verification that read it succeeds.
 * Files the mirror already holds are asked for with their ETag, so an unchanged one costs a 304 and is taken from the
 * last verified state. No retries: a failed poll is simply tried again at the next one.
 */
final class RecordingSource implements Source {
    /** One answer: the decoded bytes, its type, its validator and the snapshot's log size when the origin names it. */
    record Fetched(byte[] body, String contentType, String etag, OptionalLong logSize) {}

    private final URI base;
    private final HttpClient client;
    private final Map<String, Fetched> previous;
    private final Map<String, Fetched> recorded = new ConcurrentHashMap<>();

    RecordingSource(URI base, HttpClient client, Map<String, Fetched> previous) {
        this.base = base;
        this.client = client;
        this.previous = previous;
    }

    Map<String, Fetched> recorded() {
        return recorded;
    }

    @Override
    public Response fetch(String path) throws NotFoundException, SourceException {
        Fetched f = get(path);
        recorded.put(path, f);
        return new Response(path, f.body(), f.logSize());
    }

    /** One GET, not recorded. */
    Fetched get(String path) throws NotFoundException, SourceException {
        URI uri = base.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept-Encoding", "gzip").header("User-Agent", "rekap-mirror");
        Fetched old = previous.get(path);
        if (old != null && old.etag() != null) b.header("If-None-Match", old.etag());
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SourceException("cannot reach the origin " + base + " (GET " + path + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while fetching " + uri, e);
        }
        OptionalLong size = logSize(r);
        if (r.statusCode() == 304 && old != null)
            return new Fetched(old.body(), old.contentType(), old.etag(), size.isPresent() ? size : old.logSize());
        if (r.statusCode() == 404) throw new NotFoundException(path, "GET " + uri + " answered 404");
        if (r.statusCode() != 200) throw new SourceException("the origin answered " + r.statusCode() + " to GET " + uri);
        return new Fetched(decode(uri, r), r.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                r.headers().firstValue("ETag").orElse(null), size);
    }

    private static OptionalLong logSize(HttpResponse<byte[]> r) throws SourceException {
        var v = r.headers().firstValue("X-Rekap-Log-Size");
        if (v.isEmpty()) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(v.get().strip()));
        } catch (NumberFormatException e) {
            throw new SourceException("the origin sent X-Rekap-Log-Size '" + v.get() + "', not a log size");
        }
    }

    private static byte[] decode(URI uri, HttpResponse<byte[]> r) throws SourceException {
        String coding = r.headers().firstValue("Content-Encoding").orElse("identity").strip();
        if (coding.isEmpty() || coding.equalsIgnoreCase("identity")) return r.body();
        if (!coding.equalsIgnoreCase("gzip")) throw new SourceException("GET " + uri + " sent Content-Encoding " + coding);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SourceException("GET " + uri + " sent gzip that does not decompress: " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
