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
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * A site over HTTP(S). Asks for gzip (and decodes it; any other coding is refused as unexpected), never brotli; over
 * loopback, for no coding at all. Plain {@code http://} sites are read with {@link PipelinedHttp} (a redirect goes to
 * the JDK's client, which follows it), {@code https://} ones with the JDK's client. Transient failures (connection
 * reset, timeout, 5xx) are retried twice with a pause; a 404 is {@link NotFoundException}; anything else stops the
 * verification with a {@link SourceException} saying what to do.
 */
final class HttpSource implements Source {
    private static final int ATTEMPTS = 3;
    /** Connections of the pipelined client: enough for the server to answer on all its cores. */
    private static final int CONNECTIONS = 4;
    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final PipelinedHttp pipelined;

    /** An answer from either client. */
    private record Reply(int status, String contentEncoding, String logSize, byte[] body) {}

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
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) pause(attempt);
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
                continue;
            }
            throw new SourceException("GET " + uri + " answered " + status + message(r)
                    + "; is " + base + " the base URL of a Rekap site?");
        }
        throw new SourceException(lastProblem + " after " + ATTEMPTS + " attempts; check that the server is running and"
                + " reachable, then run again");
    }

    private Reply pipelined(String path) throws IOException, TimeoutException, InterruptedException {
        PipelinedHttp.Answer a = pipelined.get(path);
        return new Reply(a.status(), a.contentEncoding(), a.logSize(), a.body());
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
                r.headers().firstValue("X-Rekap-Log-Size").orElse(null), r.body());
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

    private static void pause(int attempt) throws SourceException {
        try {
            Thread.sleep(attempt == 2 ? 250 : 1000);
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
