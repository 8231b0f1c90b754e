package org.rekap.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rekap.contest.Election;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.officer.Intake;
import org.rekap.officer.LogReplay;
import org.rekap.officer.LogWriter;
import org.rekap.publish.LogSigning;
import org.rekap.publish.Publisher;
import org.rekap.store.ElectionStore;
import org.rekap.store.PhotoStore;
import org.rekap.store.Setup;
import org.rekap.tally.Tally;

/**
 * A running Rekap node: loads the set-up, rebuilds the tally by replaying the whole log, then serves the officer and
 * public APIs and republishes changed documents every {@code publishInterval}.
 */
public final class RekapServer implements AutoCloseable {
    private final ElectionStore store;
    private final Vertx vertx;
    private final HttpServer http;
    private final LogWriter writer;
    private final ExecutorService blocking;
    private final ScheduledExecutorService ticker;
    private final Publisher publisher;
    private final Tally tally;

    private final List<HttpServer> moreListeners;

    private RekapServer(ElectionStore store, Vertx vertx, HttpServer http, List<HttpServer> moreListeners, LogWriter writer, ExecutorService blocking,
            ScheduledExecutorService ticker, Publisher publisher, Tally tally) {
        this.store = store;
        this.vertx = vertx;
        this.http = http;
        this.moreListeners = moreListeners;
        this.writer = writer;
        this.blocking = blocking;
        this.ticker = ticker;
        this.publisher = publisher;
        this.tally = tally;
    }

    /**
     * Options of one node. Port 0 picks a free port; {@code signer} signs the log's checkpoints; photos are kept
     * under {@code photoDir}; {@code adminToken} authorises the administrator's API.
     */
    public record Config(String host, int port, Duration publishInterval, NoteSigner signer, java.nio.file.Path photoDir,
            String adminToken) {
        public static Config defaults(int port, NoteSigner signer, java.nio.file.Path dataDir, String adminToken) {
            return new Config("0.0.0.0", port, Duration.ofSeconds(1), signer, dataDir.resolve("photos"), adminToken);
        }
    }

    public static RekapServer start(ElectionStore store, Config config) {
        long t0 = System.nanoTime();
        Setup setup = store.loadSetup().orElseThrow(() -> new IllegalStateException(
                "the data directory has no election; run 'rekap import' or 'rekap demo' first"));
        Election election = setup.election();
        Tally tally = new Tally(election);
        Intake intake = new Intake(tally);
        long size = store.logSize();
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree tree = LogReplay.replay(store, intake, hashes);
        tally.advanceTo(size);
        LogWriter writer = new LogWriter(store, intake, hashes, tree);
        Publisher publisher = new Publisher(tally, setup.name(), new LogSigning(config.signer(), writer::tree));
        publisher.refresh();
        EventLog.event("log_replayed", "entries", size, "tps", election.tree().tpsCount(),
                "contests", election.contests().size(), "ms", (System.nanoTime() - t0) / 1_000_000);

        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.gauge("rekap_log_size", tally, t -> t.logSize());
        metrics.gauge("rekap_published_log_size", publisher, p -> p.publishedSize());

        Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true))
                .withTransport(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO).build();
        Router router = Router.router(vertx);
        PublicApi.RESPONDER.date(httpDate());
        vertx.setPeriodic(1000, id -> PublicApi.RESPONDER.date(httpDate()));
        router.route().handler(ctx -> {
            ctx.response().putHeader(io.netty.handler.codec.http.HttpHeaderNames.DATE, PublicApi.RESPONDER.date());
            ctx.next();
        });
        PhotoStore photos = new PhotoStore(config.photoDir());
        new OfficerApi(election, writer, intake, store, photos, blocking, metrics).mount(router);
        new ReviewApi(election, intake, writer, blocking, metrics).mount(router);
        new AdminApi(config.adminToken(), writer, blocking, metrics).mount(router);
        router.get("/photos/:sha").handler(ctx -> {
            String sha = ctx.pathParam("sha");
            if (!PhotoStore.SHA256.matcher(sha).matches() || !photos.has(sha)) {
                ErrorBody.send(ctx.response(), 404, "no photo " + sha, List.of());
                return;
            }
            ctx.response().putHeader("Cache-Control", "public, max-age=31536000, immutable")
                    .putHeader("X-Content-Type-Options", "nosniff").sendFile(photos.path(sha).toString());
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.scrape()));
        new DetailApi(publisher, setup.name(), store, blocking).mount(router);
        new LogApi(publisher, store, hashes, blocking).mount(router);
        PublicApi publicApi = new PublicApi(publisher, SetupFiles.of(setup, election));
        publicApi.mount(router);
        router.route().last().handler(ctx -> ErrorBody.send(ctx.response(), 404, "nothing at " + ctx.request().path(), List.of()));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
            if (status == 500) EventLog.event("request_failed", "path", ctx.request().path(),
                    "error", String.valueOf(ctx.failure()));
            ErrorBody.send(ctx.response(), status, status == 413 ? "the body is too large" : status == 500
                    ? "internal error" : "bad request", List.of());
        });

        // One listener per core: each gets its own event loop and the kernel spreads connections over them.
        // The hot documents bypass the router (its per-request context and regex routes cost more than the answer).
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setCompressionSupported(true).setIdleTimeout(60).setReusePort(Transport.EPOLL.available());
        io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler = req -> {
            if (!publicApi.fastPath(req)) router.handle(req);
        };
        HttpServer http = vertx.createHttpServer(options).requestHandler(handler).listen().await();
        List<HttpServer> more = new java.util.ArrayList<>();
        // With SO_REUSEPORT (epoll) every listener has its own socket; without it only one listener is made.
        for (int i = 1; options.isReusePort() && i < Runtime.getRuntime().availableProcessors(); i++)
            more.add(vertx.createHttpServer(new HttpServerOptions(options).setPort(http.actualPort()))
                    .requestHandler(handler).listen().await());

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("rekap-publisher").daemon().factory());
        long every = config.publishInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                publisher.refresh();
            } catch (RuntimeException e) {
                EventLog.event("publish_failed", "error", String.valueOf(e));
            }
        }, every, every, TimeUnit.MILLISECONDS);
        EventLog.event("server_started", "port", http.actualPort(), "transport",
                Transport.EPOLL.available() ? "epoll" : "nio", "log_size", size);
        return new RekapServer(store, vertx, http, more, writer, blocking, ticker, publisher, tally);
    }

    private static String httpDate() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    public int port() {
        return http.actualPort();
    }

    public Publisher publisher() {
        return publisher;
    }

    public Tally tally() {
        return tally;
    }

    @Override
    public void close() {
        for (HttpServer s : moreListeners) s.close().await();
        http.close().await();
        writer.close();
        ticker.shutdownNow();
        blocking.shutdown();
        vertx.close().await();
        EventLog.event("server_stopped", "log_size", store.logSize());
    }
}
