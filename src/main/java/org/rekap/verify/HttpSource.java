package org.rekap.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * A site over HTTP(S). Asks for gzip (and decodes it; any other coding is refused as unexpected), never brotli; over
 * loopback, for no coding at all. Plain {@code http://} sites are read with {@link PipelinedHttp} (a redirect goes to
 * the JDK's client, which follows it), {@code https://} ones with the JDK's client. Transient failures (connection
 * reset, timeout, 5xx) are retried twice with a pause. A site that asks the verifier to slow down (429 or 503 with
 * {@code Retry-After} in seconds: a public side limits each address) is waited for as it asks, up to
 * {@link #MAX_BACKOFF} in all for one request, since a verification of a rate-limited site must go at the site's pace
 * rather than fail. A 404 is {@link NotFoundException}; anything else stops the verification with a
 * {@link SourceException} saying what to do.
 */
final class HttpSource implements Source {
    private static final int ATTEMPTS = 3;
    /** The longest one request waits, in all, for a site that keeps answering "retry after". */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    /** The longest single wait a site may ask for; a larger Retry-After is taken as this. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Connections of the pipelined client: enough for the server to answer on all its cores. */
    private static final int CONNECTIONS = 4;
    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final PipelinedHttp pipelined;

    /** An answer from either client. */
    private record Reply(int status, String contentEncoding, String logSize, String retryAfter, byte[] body) {}

    HttpSource(URI base, Duration connectTimeout, Duration requestTimeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.pipelined = !"http".equalsIgnoreCase(this.base.getScheme()) ? null
                : new PipelinedHttp(this.base.getHost(), this.base.getPort() < 0 ? 80 : this.base.getPort(),
                        this.base.getRawPath(), CONNECTIONS, connectTimeout, requestTimeout);
    }

    @Override
    public Response fetch(String path) throws NotFoundException, SourceException {
        URI uri = base.resolve(path);
        String lastProblem = null;
        long backedOff = 0; // nanoseconds waited at the site's request, which do not use up attempts
        long asked = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (asked > 0) sleep(asked);
            else if (attempt > 1) sleep(attempt == 2 ? 250_000_000L : 1_000_000_000L);
            asked = 0;
            Reply r;
            try {
                r = pipelined == null ? viaJdk(uri) : pipelined(path);
                if (r.status() >= 300 && r.status() < 400) r = viaJdk(uri);
            } catch (HttpConnectTimeoutException | SocketTimeoutException e) {
                lastProblem = "cannot connect to " + base + " (no answer within the connect timeout)";
                continue;
            } catch (ConnectException e) {
                // Nobody listens there: retrying will not help much, but a restarting server deserves a second try.
                lastProblem = "cannot connect to " + base + " (" + (e.getMessage() == null ? "connection refused"
                        : e.getMessage()) + ")";
                continue;
            } catch (UnknownHostException e) {
                throw new SourceException("unknown host " + uri.getHost() + ": check the URL");
            } catch (HttpTimeoutException | TimeoutException e) {
                lastProblem = "no answer to GET " + uri + " within " + requestTimeout.toSeconds() + " s";
                continue;
            } catch (IOException e) {
                lastProblem = "GET " + uri + " failed: " + describe(e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException("interrupted while fetching " + uri, e);
            }
            int status = r.status();
            if (status == 200) return new Response(path, decode(uri, r), logSize(uri, r));
            if (status == 404) throw new NotFoundException(path, "GET " + uri + " answered 404" + message(r));
            if (status >= 500 || status == 429 || status == 408) {
                lastProblem = "GET " + uri + " answered " + status + message(r);
                long wait = retryAfterNanos(r.retryAfter());
                if ((status == 429 || status == 503) && wait > 0 && backedOff + wait <= MAX_BACKOFF.toNanos()) {
                    backedOff += wait;
                    asked = wait;
                    attempt--; // the site said when to come back: that is not a failed attempt
                }
                continue;
            }
            throw new SourceException("GET " + uri + " answered " + status + message(r)
                    + "; is " + base + " the base URL of a Rekap site?");
        }
        if (backedOff > 0)
            throw new SourceException(lastProblem + " after waiting " + TimeUnit.NANOSECONDS.toSeconds(backedOff)
                    + " s as it asked; the site limits this address: run again later, or from an address it trusts");
        throw new SourceException(lastProblem + " after " + ATTEMPTS + " attempts; check that the server is running and"
                + " reachable, then run again");
    }

    private Reply pipelined(String path) throws IOException, TimeoutException, InterruptedException {
        PipelinedHttp.Answer a = pipelined.get(path);
        return new Reply(a.status(), a.contentEncoding(), a.logSize(), a.retryAfter(), a.body());
    }

    private Reply viaJdk(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "rekap-verify")
                .GET()
                .build();
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Encoding").orElse(null),
                r.headers().firstValue("X-Rekap-Log-Size").orElse(null), r.headers().firstValue("Retry-After").orElse(null),
                r.body());
    }

    private static byte[] decode(URI uri, Reply r) throws SourceException {
        String coding = (r.contentEncoding() == null ? "identity" : r.contentEncoding()).strip().toLowerCase(Locale.ROOT);
        return switch (coding) {
            case "", "identity" -> r.body();
            case "gzip", "x-gzip" -> {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                    yield in.readAllBytes();
                } catch (IOException e) {
                    throw new SourceException("GET " + uri + " sent gzip that does not decompress: " + e.getMessage());
                }
            }
            default -> throw new SourceException("GET " + uri + " sent Content-Encoding " + coding + ", which was not"
                    + " asked for");
        };
    }

    private static OptionalLong logSize(URI uri, Reply r) throws SourceException {
        String v = r.logSize();
        if (v == null) return OptionalLong.empty();
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) throw new NumberFormatException();
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw new SourceException("GET " + uri + " sent X-Rekap-Log-Size '" + v + "', not a log size");
        }
    }

    /** The server's error message, if it sent one of ours ({"error":{"message":..}}), shortened. */
    private static String message(Reply r) {
        String body = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (body.isEmpty()) return "";
        if (body.length() > 200) body = body.substring(0, 200) + "...";
        return " (" + body.replace('\n', ' ') + ")";
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Nanoseconds a {@code Retry-After} asks for, when it is in seconds (Rekap's guard sends whole seconds); 0 when
     * absent or an HTTP date (then the ordinary retry pauses apply).
     */
    static long retryAfterNanos(String value) {
        if (value == null) return 0;
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds < 0) return 0;
            return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER.toSeconds()) * 1_000_000_000L;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void sleep(long nanos) throws SourceException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        }
    }

    /** The pipelined client keeps many requests in flight on its few connections; the JDK's opens one for each. */
    @Override
    public int inFlight() {
        return pipelined != null ? 64 : Source.super.inFlight();
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
