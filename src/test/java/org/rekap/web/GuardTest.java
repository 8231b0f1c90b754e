package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.guard.GuardLimits;

/**
 * The public side's guard against real sockets on loopback. Each test's abusive client uses its own loopback address
 * (127.0.0.x), so the limits it earns are its own and the other addresses stand for everyone else.
 */
class GuardTest {
    @TempDir
    Path dir;
    LiveElection live;

    /** Small limits so a test reaches them quickly: 5 requests/s, burst 10, 4 connections, 1 s to send headers. */
    static final GuardLimits TIGHT = new GuardLimits(5, 10, 4, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(30),
            2048, 1024, 40, Duration.ofMinutes(5), 256);

    @BeforeEach
    void start() {
        live = new LiveElection(dir, 3, Duration.ofMillis(20), c -> c.withLimits(TIGHT, GuardLimits.officerSide().withRate(0)));
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aClientOverItsBudgetGets429WithRetryAfterWhileAnotherAddressIsServed() throws Exception {
        HttpClient greedy = from("127.0.0.2");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 25; i++) {
            HttpResponse<String> r = greedy.send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) refused = r;
        }
        assertThat(statuses.subList(0, 10)).as("the burst").containsOnly(200);
        assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isGreaterThanOrEqualTo(8);
        assertThat(refused).isNotNull();
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(refused.body()).contains("\"status\":429").contains("Retry-After");
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");

        assertThat(from("127.0.0.3").send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(metric("rekap_guard_refused_total{reason=\"rate\",side=\"public\"}")).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aClientThatKeepsHammeringAfter429sIsShutOutAndOthersAreNot() throws Exception {
        HttpClient hammer = from("127.0.0.4");
        int served = 0, refused = 0;
        IOException shutOut = null;
        for (int i = 0; i < 200 && shutOut == null; i++) {
            try {
                int s = hammer.send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString()).statusCode();
                if (s == 200) served++;
                else if (s == 429) refused++;
            } catch (IOException e) {
                shutOut = e;
            }
        }
        assertThat(shutOut).as("after %d refusals the connection is closed", refused).isNotNull();
        assertThat(refused).isGreaterThanOrEqualTo(TIGHT.strikesToBan() - 1);
        assertThat(served).isLessThan(30);
        // A new connection from the banned address is closed on arrival; other addresses are served.
        assertThatThrownBy(() -> from("127.0.0.4").send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(from("127.0.0.5").send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(metric("rekap_guard_refused_total{reason=\"banned\",side=\"public\"}")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void connectionsBeyondTheCapPerClientAreClosedWhileTheFirstOnesWork() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < TIGHT.connectionsPerClient(); i++) {
                Socket s = socket("127.0.0.6");
                open.add(s);
                assertThat(exchange(s, "GET /api/v1/election.json HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
            }
            Socket extra = socket("127.0.0.6");
            open.add(extra);
            assertThat(closedBy(extra)).as("the connection over the cap is closed by the server").isTrue();
            assertThat(exchange(open.get(0), "GET /api/v1/election.json HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(metric("rekap_guard_refused_total{reason=\"connections_per_client\",side=\"public\"}")).isEqualTo(1);
        } finally {
            for (Socket s : open) s.close();
        }
    }

    @Test
    void aSlowlorisSendingHeadersByteByByteIsCutOffAtTheHeaderDeadline() throws Exception {
        try (Socket s = socket("127.0.0.7")) {
            OutputStream out = s.getOutputStream();
            out.write("GET /api/v1/election.json HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // the attack's own pace: one byte every 200 ms, never finishing
                        out.write('X');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: what the test waits for
                }
            });
            assertThat(closedBy(s)).isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            trickle.interrupt();
            assertThat(seconds).as("closed after the 1 s header deadline, long before the trickle ends").isLessThan(10);
        }
        assertThat(metric("rekap_guard_refused_total{reason=\"slow_headers\",side=\"public\"}")).isGreaterThanOrEqualTo(1);
        // Others are served meanwhile and after.
        assertThat(from("127.0.0.8").send(get("/api/v1/election.json"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theReadSideRefusesBodiesAndOversizedHeadersAndLines() throws Exception {
        HttpClient c = from("127.0.0.9");
        HttpResponse<String> post = c.send(HttpRequest.newBuilder(live.publicUri("/api/v1/election.json"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(413);
        assertThat(post.body()).contains("\"status\":413");
        try (Socket s = socket("127.0.0.10")) {
            assertThat(exchange(s, "GET /api/v1/election.json HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431");
        }
        try (Socket s = socket("127.0.0.11")) {
            assertThat(exchange(s, "GET /api/v1/" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).matches("(?s)HTTP/1.[01] 414 .*");
        }
        assertThat(metric("rekap_guard_refused_total{reason=\"body\",side=\"public\"}")).isEqualTo(1);
    }

    @Test
    void eachSideAnswersOnlyForItsOwnPaths() throws Exception {
        HttpClient c = from("127.0.0.12");
        assertThat(status(c, live.publicUri("/metrics"))).isEqualTo(404);
        assertThat(status(c, live.publicUri("/petugas/"))).isEqualTo(404);
        assertThat(status(c, live.publicUri("/api/review/v1/held/0"))).isEqualTo(404);
        assertThat(status(c, live.officerUri("/petugas/"))).isEqualTo(200);
        assertThat(status(c, live.officerUri("/api/v1/election.json"))).isEqualTo(200);
        assertThat(status(c, live.officerUri("/api/v1/search?q=a"))).as("searches are the public side's work").isEqualTo(404);
        assertThat(status(c, live.officerUri("/metrics"))).isEqualTo(200);
    }

    private int status(HttpClient c, URI uri) throws Exception {
        return c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(live.publicUri(path)).build();
    }

    private static HttpClient from(String address) throws IOException {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private Socket socket(String address) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(address, 0));
        s.connect(new InetSocketAddress("127.0.0.1", live.server.port()), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Sends a request and reads its status line and headers. */
    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        String h = head.toString();
        int length = 0;
        for (String line : h.split("\r\n"))
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        in.readNBytes(length);
        return h;
    }

    /** Whether the server closes the connection (end of stream or reset) before the socket's read timeout. */
    private static boolean closedBy(Socket s) throws IOException {
        try {
            while (true) if (s.getInputStream().read() < 0) return true;
        } catch (SocketException e) {
            return true; // reset
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private double metric(String series) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(live.officerUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n"))
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
        throw new AssertionError("no series " + series + " in the metrics");
    }
}
