package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.reliability.RawHttp;
import org.rekap.sheet.TallySheet;

/**
 * A sheet takes a short way past the router when its body is plain (a length, nothing else); every other form of
 * the same request still gets the router's answers: chunked bodies, {@code Expect: 100-continue}, bodies too long,
 * and a side at its limit of blocking work.
 */
class OfficerSheetPathTest extends LiveElectionTest {
    @Override
    long seed() {
        return 31;
    }

    private TallySheet sheet(int k) {
        Contest ppwp = election.election().contest("ppwp");
        return election.sheet(election.tree().regionCount() + k, ppwp);
    }

    /** Writes raw bytes to the officer port and reads one answer. */
    private static RawHttp.Response exchange(URI base, String head, byte[] body) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(head.getBytes(StandardCharsets.US_ASCII));
            o.write(body);
            o.flush();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            RawHttp.Response r = RawHttp.read(in, false);
            if (r != null && r.status() == 100) r = RawHttp.read(in, false);
            return r;
        }
    }

    private static String head(String extra, int length) {
        return "POST /api/officer/v1/sheets HTTP/1.1\r\nHost: rekap\r\nContent-Type: application/json\r\n" + extra
                + (length >= 0 ? "Content-Length: " + length + "\r\n" : "") + "\r\n";
    }

    private static String json(RawHttp.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aPlainBodyAChunkedOneAndOneAfterContinueAreAllReceivedTheSame() throws Exception {
        URI base = live.officerUri("/");
        byte[] plain = live.submission("plain-1", sheet(0)).getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = exchange(base, head("", plain.length), plain);
        assertThat(r.status()).as(json(r)).isEqualTo(201);
        assertThat(r.header("date")).isNotBlank();
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        long seq = Json.MAPPER.readTree(r.body()).get("seq").asLong();
        // The same bytes again: the same receipt.
        RawHttp.Response again = exchange(base, head("", plain.length), plain);
        assertThat(Json.MAPPER.readTree(again.body()).get("seq").asLong()).isEqualTo(seq);

        byte[] chunked = live.submission("chunked-1", sheet(1)).getBytes(StandardCharsets.UTF_8);
        int half = chunked.length / 2;
        byte[] framed = (Integer.toHexString(half) + "\r\n" + new String(chunked, 0, half, StandardCharsets.UTF_8) + "\r\n"
                + Integer.toHexString(chunked.length - half) + "\r\n"
                + new String(chunked, half, chunked.length - half, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response c = exchange(base, head("Transfer-Encoding: chunked\r\n", -1), framed);
        assertThat(c.status()).as(json(c)).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(c.body()).get("tps").asText()).isEqualTo(sheet(1).tps());

        byte[] expect = live.submission("expect-1", sheet(2)).getBytes(StandardCharsets.UTF_8);
        RawHttp.Response e = exchange(base, head("Expect: 100-continue\r\n", expect.length), expect);
        assertThat(e.status()).as(json(e)).isEqualTo(201);
        assertThat(store.logSize()).as("three sheets after their officers' enrolments").isEqualTo(6);
    }

    @Test
    void aBodyBeyondTheLimitIsRefusedWhole() throws Exception {
        byte[] big = new byte[OfficerApi.MAX_BODY + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        long before = store.logSize();
        RawHttp.Response r = exchange(live.officerUri("/"), head("", big.length), big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(store.logSize()).isEqualTo(before);
    }

    @Test
    void aSheetBeyondTheSidesBudgetOfBlockingWorkIsAnswered503WithRetryAfter() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        var blocking = new org.rekap.guard.SheddingExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor(),
                1, "officer", side -> {});
        try {
            blocking.execute(() -> { // holds the side's only permit until the end of the test
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Nothing beyond the budget check is reached: no writer, intake, store or photos.
            OfficerApi api = new OfficerApi(election.election(), null, null, null, null, blocking,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            io.vertx.core.http.HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                if (!api.fastPath(req)) req.response().setStatusCode(404).end();
            }).listen(0, "127.0.0.1").await();
            byte[] body = live.submission("shed-1", sheet(3)).getBytes(StandardCharsets.UTF_8);
            RawHttp.Response r = exchange(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), head("", body.length), body);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("retry-after")).isEqualTo("1");
            assertThat(Json.MAPPER.readTree(r.body()).get("error").get("status").asInt()).isEqualTo(503);
        } finally {
            release.countDown(); // before the executor waits for its tasks
            blocking.close();
            vertx.close().await();
        }
    }
}
