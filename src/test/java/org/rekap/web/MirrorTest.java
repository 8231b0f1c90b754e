package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.NoteSigner;
import org.rekap.ledger.TileLayout;
import org.rekap.mirror.MirrorStatus;
import org.rekap.region.RegionTree;
import org.rekap.verify.ProgressListener;
import org.rekap.verify.Report;
import org.rekap.verify.Source;
import org.rekap.verify.Verifier;

/**
 * An origin and three mirrors on one machine, over real HTTP: the mirrors catch up with what the origin publishes and
 * serve the same bytes (and a site {@code rekap verify} accepts); with the origin stopped they keep serving; a tampering
 * origin on the same address (a modified document, a forked checkpoint signed with the real key, a checkpoint signed
 * with another key) is refused and the last verified state stays; an honest origin again is followed.
 */
class MirrorTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void mirrorsFollowTheOriginKeepServingWhenItIsDownAndRefuseWhatDoesNotVerify() throws Exception {
        long started = System.nanoTime();
        try (LiveElection live = new LiveElection(dir.resolve("origin"), 21, Duration.ofMillis(20))) {
            RegionTree tree = live.election.tree();
            Contest ppwp = live.election.election().contest("ppwp");
            int originPort = live.server.port();
            URI origin = URI.create("http://127.0.0.1:" + originPort + "/");
            List<int[]> pending = new ArrayList<>(); // [tps, contest index]
            for (int t = tree.regionCount(); t < tree.size(); t++) {
                List<Contest> cs = live.election.election().contestsAt(t);
                for (int k = 0; k < cs.size(); k++) pending.add(new int[] {t, k});
            }
            long size1 = submit(live, pending, pending.size() / 3);
            step(started, "origin on " + origin + ", log size " + size1);

            List<MirrorServer> mirrors = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++)
                    // The test's verifier is 127.0.0.1 like every client here: per-address rates off, as for the origin.
                    mirrors.add(MirrorServer.start(new MirrorServer.Config(origin, "127.0.0.1", 0,
                            dir.resolve("mirror-" + i + "/state.json"), null, Duration.ofMillis(100),
                            org.rekap.guard.GuardLimits.publicSide().withRate(0))));
                awaitAll(mirrors, s -> s.logSize() == size1, "caught up with " + size1);
                for (MirrorServer m : mirrors)
                    sameBytes(origin, m, "api/v1/election.json", "api/v1/regions/0/ppwp.json", "checkpoint",
                            "api/v1/regions/0.json", "api/v1/tps/" + tree.code(tree.regionCount()) + "/ppwp.json",
                            "api/v1/download/0/ppwp.csv", "api/v1/setup/regions.csv",
                            TileLayout.entryBundles(size1).getFirst().path(), TileLayout.hashTiles(size1).getFirst().path());
                Report onMirror = new Verifier(Source.open(base(mirrors.get(0))), new Verifier.Options(null,
                        dir.resolve("verify-mirror.json"), true, false), ProgressListener.NONE).run();
                assertThat(onMirror.findings()).as(String.join("\n", onMirror.lines(10))).isEmpty();
                step(started, "3 mirrors at log size " + size1 + ": the origin's bytes; rekap verify accepts a mirror");

                long size2 = submit(live, pending, pending.size() / 2);
                awaitAll(mirrors, s -> s.logSize() == size2, "caught up with " + size2);
                step(started, "origin grew to " + size2 + ": mirrors followed");
                byte[] national = get(base(mirrors.get(1)) + "api/v1/regions/0/ppwp.json").body();

                // The origin stops: the mirrors keep serving what they verified.
                live.server.close();
                live.server = null;
                awaitAll(mirrors, s -> s.unreachable() >= 2 && s.lastOutcome().equals("origin_unreachable"), "see the origin down");
                for (MirrorServer m : mirrors) {
                    HttpResponse<byte[]> r = get(base(m) + "api/v1/regions/0/ppwp.json");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo(national);
                    assertThat(r.headers().firstValue("X-Rekap-Log-Size")).hasValue(Long.toString(size2));
                }
                step(started, "origin down: mirrors serve log size " + size2 + " and report origin_unreachable");

                // The origin comes back on another port and grows; on its old address, an origin that tampers.
                live.restartServer();
                long size3 = submit(live, pending, pending.size());
                URI real = live.uri("/");
                try (Tampering tampering = Tampering.on(originPort, real)) {
                    tampering.mode = Tampering.Mode.DOCUMENT;
                    awaitAll(mirrors, s -> s.refused() >= 1, "refuse a modified document");
                    assertThat(mirrors.get(0).mirror().status().lastProblem()).contains("api/v1/regions/0/ppwp.json", "totals.valid");
                    assertServing(mirrors, size2, national);
                    step(started, "a modified region document at log size " + size3 + ": refused, " + size2 + " still served: "
                            + mirrors.get(0).mirror().status().lastProblem());

                    tampering.mode = Tampering.Mode.FORK;
                    tampering.forged = Checkpoints.sign(Checkpoint.of(live.signer.name(), size3, new byte[32]), live.signer);
                    awaitAll(mirrors, s -> s.refused() >= 2, "refuse a forked checkpoint");
                    assertThat(mirrors.get(0).mirror().status().lastProblem()).contains("FORK");
                    assertServing(mirrors, size2, national);
                    step(started, "a checkpoint of size " + size3 + " with another root, signed with the real key: refused: "
                            + mirrors.get(0).mirror().status().lastProblem());

                    NoteSigner other = NoteSigner.generate(live.signer.name(), new SecureRandom());
                    tampering.forged = Checkpoints.sign(Checkpoint.of(other.name(), size3, new byte[32]), other);
                    awaitAll(mirrors, s -> s.refused() >= 3, "refuse a checkpoint signed with another key");
                    assertThat(mirrors.get(0).mirror().status().lastProblem()).contains("not validly signed by the trusted key");
                    assertServing(mirrors, size2, national);
                    for (MirrorServer m : mirrors) {
                        String status = new String(get(base(m) + "mirror/status.json").body());
                        assertThat(Json.MAPPER.readTree(status).get("lastOutcome").asText()).isEqualTo("refused");
                        assertThat(new String(get(base(m) + "metrics").body()))
                                .contains("rekap_mirror_polls_total{outcome=\"refused\"} 3.0", "rekap_mirror_log_size " + size2 + ".0");
                    }
                    step(started, "a checkpoint signed with another key: refused; status and metrics say so: "
                            + mirrors.get(0).mirror().status().lastProblem());

                    tampering.mode = Tampering.Mode.HONEST;
                    awaitAll(mirrors, s -> s.logSize() == size3, "follow the honest origin to " + size3);
                    for (MirrorServer m : mirrors)
                        sameBytes(real, m, "api/v1/election.json", "api/v1/regions/0/ppwp.json", "checkpoint");
                    step(started, "the origin honest again: mirrors at " + size3);
                }
            } finally {
                for (MirrorServer m : mirrors) m.close();
            }
        }
        System.out.printf("MirrorTest: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private void assertServing(List<MirrorServer> mirrors, long size, byte[] national) throws Exception {
        for (MirrorServer m : mirrors) {
            assertThat(m.mirror().status().logSize()).isEqualTo(size);
            assertThat(get(base(m) + "api/v1/regions/0/ppwp.json").body()).isEqualTo(national);
        }
    }

    private static String base(MirrorServer m) {
        return "http://127.0.0.1:" + m.port() + "/";
    }

    private void sameBytes(URI origin, MirrorServer m, String... paths) throws Exception {
        for (String p : paths) {
            HttpResponse<byte[]> o = get(origin + p), r = get(base(m) + p);
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertThat(r.body()).as(p).isEqualTo(o.body());
        }
    }

    private HttpResponse<byte[]> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitAll(List<MirrorServer> mirrors, Predicate<MirrorStatus> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (MirrorServer m : mirrors) {
            while (!done.test(m.mirror().status())) {
                assertThat(System.nanoTime()).as("mirror on " + m.port() + " did not " + what + ": " + m.mirror().status())
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    /** Submits sheets until {@code upTo} of the pending ones are in; returns the published log size. */
    private long submit(LiveElection live, List<int[]> pending, int upTo) throws Exception {
        for (int i = done; i < upTo; i++) {
            int[] p = pending.get(i);
            Contest c = live.election.election().contestsAt(p[0]).get(p[1]);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets"))
                    .POST(HttpRequest.BodyPublishers.ofString(live.submission("m-" + p[0] + "-" + c.id(),
                            live.election.sheet(p[0], c)))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        done = upTo;
        long size = live.store.logSize();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (live.server.publisher().publishedSize() != size) {
            assertThat(System.nanoTime()).as("the origin never published " + size).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return size;
    }

    private int done;

    private static void step(long started, String what) {
        System.out.printf("  %6.2f s  %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /**
     * An origin that lies, on the address the mirrors know: it passes the real origin's answers through, except (by
     * mode) a region document with another total, or a forged checkpoint.
     */
    static final class Tampering implements AutoCloseable {
        enum Mode { HONEST, DOCUMENT, FORK }

        volatile Mode mode = Mode.HONEST;
        volatile byte[] forged;
        private final HttpServer server;

        private Tampering(HttpServer server) {
            this.server = server;
        }

        static Tampering on(int port, URI real) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            HttpServer server;
            while (true) {
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    break;
                } catch (BindException e) { // the stopped origin's socket may linger a moment
                    assertThat(System.nanoTime()).as("port " + port + " stays taken").isLessThan(deadline);
                    Thread.onSpinWait();
                }
            }
            Tampering t = new Tampering(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", ex -> {
                try (ex) {
                    String path = ex.getRequestURI().getRawPath().substring(1)
                            + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
                    Mode mode = t.mode;
                    byte[] body;
                    int status;
                    String type, size;
                    if (mode == Mode.FORK && path.equals("checkpoint")) {
                        body = t.forged;
                        status = 200;
                        type = "text/plain; charset=utf-8";
                        size = null;
                    } else {
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(real.resolve(path)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        status = r.statusCode();
                        body = r.body();
                        type = r.headers().firstValue("Content-Type").orElse("application/octet-stream");
                        size = r.headers().firstValue("X-Rekap-Log-Size").orElse(null);
                        if (mode == Mode.DOCUMENT && path.equals("api/v1/regions/0/ppwp.json") && status == 200) {
                            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(body);
                            ObjectNode totals = (ObjectNode) doc.get("totals");
                            totals.put("valid", totals.get("valid").asLong() + 1000);
                            body = Json.MAPPER.writeValueAsBytes(doc);
                        }
                    }
                    ex.getResponseHeaders().set("Content-Type", type);
                    if (size != null) ex.getResponseHeaders().set("X-Rekap-Log-Size", size);
                    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                    if (body.length > 0) ex.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            });
            server.start();
            return t;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
