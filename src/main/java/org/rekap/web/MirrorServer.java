package org.rekap.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rekap.codec.Json;
import org.rekap.ledger.TileLayout;
import org.rekap.mirror.Mirror;
import org.rekap.mirror.MirrorSite;
import org.rekap.mirror.MirrorStatus;
import org.rekap.publish.Document;

/**
 * A read-only node serving a verified copy of an origin ({@code rekap mirror}): every file of the last verified
 * {@link MirrorSite} from memory with the origin's content negotiation, ETags and cache headers (the same
 * {@link DocumentResponder}), the public pages from the jar, {@code /mirror/status.json} and {@code /metrics}. A
 * poller asks the origin for its checkpoint every {@code interval} and swaps in a new site only once it verifies.
 */
public final class MirrorServer implements AutoCloseable {
    private static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
    private static final CharSequence SHORT = HttpHeaders.createOptimized("public, max-age=5, stale-while-revalidate=10, stale-if-error=86400");
    private static final CharSequence DOCUMENT = HttpHeaders.createOptimized(PublicApi.CACHE_DOCUMENT);

    private final Mirror mirror;
    private final Vertx vertx;
    private final HttpServer http;
    private final ScheduledExecutorService poller;

    private MirrorServer(Mirror mirror, Vertx vertx, HttpServer http, ScheduledExecutorService poller) {
        this.mirror = mirror;
        this.vertx = vertx;
        this.http = http;
        this.poller = poller;
    }

    /** Options of a mirror; port 0 picks a free port, {@code key} null pins the origin's key at the first sync. */
    /** {@code limits}: the guard of the mirror's one (public) side, as on the origin's public side. */
    public record Config(URI origin, String host, int port, Path stateFile, String key, Duration interval,
            org.rekap.guard.GuardLimits limits) {
        public Config(URI origin, String host, int port, Path stateFile, String key, Duration interval) {
            this(origin, host, port, stateFile, key, interval, org.rekap.guard.GuardLimits.publicSide());
        }
    }

    public static MirrorServer start(Config config) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Mirror mirror = new Mirror(config.origin(), config.key(), config.stateFile(), (event, kv) -> {
            EventLog.event(event, kv);
            metrics.counter("rekap_mirror_polls_total", "outcome", event.substring("mirror_".length())).increment();
        });
        metrics.gauge("rekap_mirror_log_size", mirror, m -> m.site() == null ? -1 : m.site().logSize());

        Vertx vertx = Vertx.vertx();
        DocumentResponder responder = new DocumentResponder();
        responder.date(httpDate());
        vertx.setPeriodic(1000, id -> responder.date(httpDate()));
        Router router = Router.router(vertx);
        router.get("/mirror/status.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(status(mirror.status())));
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4")
                .end(metrics.scrape()));
        router.route("/petugas/*").handler(ctx -> ErrorBody.send(ctx.response(), 404, "this is a read-only mirror of "
                + config.origin() + "; officers use the origin", List.of()));
        router.route("/api/officer/*").handler(ctx -> ErrorBody.send(ctx.response(), 404, "this is a read-only mirror of "
                + config.origin() + "; officers use the origin", List.of()));
        router.route("/*").handler(StaticHandler.create("web").setCachingEnabled(true).setMaxAgeSeconds(60)
                .setIndexPage("index.html"));
        router.route().last().handler(ctx -> ErrorBody.send(ctx.response(), mirror.site() == null ? 503 : 404,
                mirror.site() == null ? "this mirror has not verified its origin yet; see /mirror/status.json"
                        : "nothing at " + ctx.request().path(), List.of()));
        // Readers of a mirror get the same protection as the origin's public side.
        org.rekap.guard.Guard guard = RekapServer.guard("mirror", config.limits(), false, null, metrics);
        HttpServer http = vertx.createHttpServer(guard.apply(new HttpServerOptions().setHost(config.host())
                .setPort(config.port()).setCompressionSupported(true)));
        guard.attach(http);
        http.requestHandler(guard.wrap(req -> {
            if (!serve(mirror.site(), req, responder)) router.handle(req);
        })).listen().await();
        guard.startSweeper(vertx);

        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("rekap-mirror-poller").daemon().factory());
        poller.scheduleWithFixedDelay(() -> {
            try {
                mirror.poll();
            } catch (RuntimeException e) {
                EventLog.event("mirror_poll_failed", "error", String.valueOf(e));
            }
        }, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        EventLog.event("mirror_started", "port", http.actualPort(), "origin", config.origin().toString());
        return new MirrorServer(mirror, vertx, http, poller);
    }

    /** Answers from the verified site's precomputed files; false for anything else (the router's). */
    private static boolean serve(MirrorSite site, HttpServerRequest req, DocumentResponder responder) {
        if (site == null || (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD)) return false;
        String path = req.path().substring(1);
        Document doc = site.file(path);
        if (doc == null) return false;
        CharSequence cache = path.equals("checkpoint") ? SHORT
                : path.startsWith("photos/") ? IMMUTABLE
                : path.startsWith("tile/") ? (TileLayout.parse(path).map(t -> t.isPartial()).orElse(true) ? SHORT : IMMUTABLE)
                : DOCUMENT;
        responder.send(req, doc, site.logSize(), cache);
        return true;
    }

    private static String status(MirrorStatus s) {
        var o = Json.MAPPER.createObjectNode();
        o.put("origin", s.origin()).put("serving", s.serving()).put("logSize", s.logSize());
        o.put("verifiedAt", s.verifiedAt() == null ? null : s.verifiedAt().toString());
        o.put("lastAttempt", s.lastAttempt() == null ? null : s.lastAttempt().toString());
        o.put("lastOutcome", s.lastOutcome()).put("lastProblem", s.lastProblem());
        o.put("synced", s.synced()).put("refused", s.refused()).put("unreachable", s.unreachable());
        return o.toString();
    }

    private static String httpDate() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    public int port() {
        return http.actualPort();
    }

    public Mirror mirror() {
        return mirror;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(30, TimeUnit.SECONDS); // a poll in progress finishes its HTTP request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close().await();
        vertx.close().await();
        EventLog.event("mirror_stopped", "origin", mirror.status().origin());
    }
}
