package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpSource} against a site that limits its rate: it waits as long as {@code Retry-After} asks instead of
 * failing the verification, and says clearly when a site keeps refusing without saying when to come back.
 */
class HttpSourceTest {
    private HttpServer server;

    /** A site whose first {@code refusals} answers are {@code status} (with {@code retryAfter}, if any), then 200. */
    private URI site(int refusals, int status, String retryAfter, AtomicInteger requests) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                int n = requests.incrementAndGet();
                byte[] body;
                if (n <= refusals) {
                    body = "{\"error\":{\"status\":429,\"message\":\"too many requests\"}}".getBytes(StandardCharsets.UTF_8);
                    if (retryAfter != null) ex.getResponseHeaders().set("Retry-After", retryAfter);
                    ex.sendResponseHeaders(status, body.length);
                } else {
                    body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("X-Rekap-Log-Size", "42");
                    ex.sendResponseHeaders(200, body.length);
                }
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void waitsAsLongAsRetryAfterAsksBeyondTheOrdinaryAttempts() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        // Four refusals: more than the three ordinary attempts, so only honouring Retry-After gets through.
        URI base = site(4, 429, "1", requests);
        long start = System.nanoTime();
        Source.Response r = new HttpSource(base, Duration.ofSeconds(5), Duration.ofSeconds(5)).fetch("api/v1/election.json");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(r.logSize()).hasValue(42);
        assertThat(requests).hasValue(5);
        assertThat(waitedMillis).as("four waits of the one second asked for").isGreaterThanOrEqualTo(4_000);
    }

    @Test
    void aRefusalWithoutRetryAfterUsesTheOrdinaryAttemptsAndSaysWhatToDo() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        URI base = site(Integer.MAX_VALUE, 429, null, requests);
        assertThatThrownBy(() -> new HttpSource(base, Duration.ofSeconds(5), Duration.ofSeconds(5)).fetch("checkpoint"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("answered 429")
                .hasMessageContaining("after 3 attempts");
        assertThat(requests).hasValue(3);
    }

    @Test
    void retryAfterIsReadInWholeSecondsAndBounded() {
        assertThat(HttpSource.retryAfterNanos("2")).isEqualTo(2_000_000_000L);
        assertThat(HttpSource.retryAfterNanos(" 0 ")).isEqualTo(1_000_000_000L);
        assertThat(HttpSource.retryAfterNanos("3600")).isEqualTo(30_000_000_000L);
        assertThat(HttpSource.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(HttpSource.retryAfterNanos("-5")).isZero();
        assertThat(HttpSource.retryAfterNanos(null)).isZero();
    }
}
