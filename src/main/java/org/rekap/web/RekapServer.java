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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rekap.contest.Election;
import org.rekap.guard.Guard;
import org.rekap.guard.GuardLimits;
import org.rekap.guard.Shed;
import org.rekap.guard.SheddingExecutor;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.NoteSigner;
import org.rekap.officer.Intake;
import org.rekap.officer.LogWriter;
import org.rekap.publish.LogSigning;
import org.rekap.publish.Publisher;
import org.rekap.store.ElectionStore;
import org.rekap.store.PhotoStore;
import org.rekap.state.Restore;
import org.rekap.state.SavedState;
import org.rekap.state.StateSaver;
import org.rekap.store.Setup;
import org.rekap.tally.Tally;

/**
 * A running Rekap node: loads the set-up, rebuilds the tally by replaying the whole log, then serves two sides on
 * separate ports, each with its own Vert.x instance (event loops), blocking budget and {@link Guard}: the public read
 * side, and the officer side (officer and reviewer APIs, the officer app, the administrator's API and metrics). A
 * flood on one side cannot take the other's threads or connections. Changed documents are republished every
 * {@code publishInterval}.
 */
public final class RekapServer implements AutoCloseable {
    private final ElectionStore store;
    private final List<Vertx> vertxes;
    private final List<HttpServer> publicListeners;
    private final List<HttpServer> officerListeners;
    private final LogWriter writer;
    private final List<ExecutorService> blocking;
    private final ScheduledExecutorService ticker;
    private final Publisher publisher;
    private final Tally tally;
    private final StartPhases phases;
    private final StateSaver saver;
    /** Stops the background check of the log's prefix and waits for it (it reads the store, which closes next). */
    private final java.util.concurrent.Callable<Void> stopCheck;
    /** Entries the log must grow by before the running server saves its derived state again, once it is quiet. */
    static final long SAVE_EVERY = 200_000;
    /** ... and while submissions keep coming (a save pauses the writer for seconds at national scale). */
    static final long SAVE_WHILE_BUSY = 2_000_000;
    /** How long the log must not grow before it counts as quiet. */
    static final Duration QUIET_BEFORE_SAVE = Duration.ofSeconds(10);

    private RekapServer(ElectionStore store, List<Vertx> vertxes, List<HttpServer> publicListeners,
            List<HttpServer> officerListeners, LogWriter writer, List<ExecutorService> blocking,
            ScheduledExecutorService ticker, Publisher publisher, Tally tally, StartPhases phases, StateSaver saver,
            java.util.concurrent.Callable<Void> stopCheck) {
        this.store = store;
        this.vertxes = vertxes;
        this.publicListeners = publicListeners;
        this.officerListeners = officerListeners;
        this.writer = writer;
        this.blocking = blocking;
        this.ticker = ticker;
        this.publisher = publisher;
        this.tally = tally;
        this.phases = phases;
        this.saver = saver;
        this.stopCheck = stopCheck;
    }

    /**
     * Options of one node. Port 0 picks a free port; {@code signer} signs the log's checkpoints; photos are kept
     * under {@code photoDir}; {@code adminToken} authorises the administrator's API; {@code clientHeader}, when not
     * null, is the header a trusted proxy or CDN sets to the real client address (rate limits count by it).
     */
    public record Config(String host, int port, String officerHost, int officerPort, Duration publishInterval,
            NoteSigner signer, java.nio.file.Path photoDir, String adminToken, GuardLimits publicLimits,
            GuardLimits officerLimits, String clientHeader) {

        /** Both sides on one host with default limits; the officer side on the next port (or any free one for 0). */
        public Config(String host, int port, Duration publishInterval, NoteSigner signer, java.nio.file.Path photoDir,
                String adminToken) {
            this(host, port, host, port == 0 ? 0 : port + 1, publishInterval, signer, photoDir, adminToken,
                    GuardLimits.publicSide(), GuardLimits.officerSide(), null);
        }

        public static Config defaults(int port, NoteSigner signer, java.nio.file.Path dataDir, String adminToken) {
            return new Config("0.0.0.0", port, Duration.ofSeconds(1), signer, dataDir.resolve("photos"), adminToken);
        }

        public Config withLimits(GuardLimits publicLimits, GuardLimits officerLimits) {
            return new Config(host, port, officerHost, officerPort, publishInterval, signer, photoDir, adminToken,
                    publicLimits, officerLimits, clientHeader);
        }
    }

    public static RekapServer start(ElectionStore store, Config config) {
        long t0 = System.nanoTime();
        StartPhases phases = new StartPhases();
        int cores = Runtime.getRuntime().availableProcessors();
        int officerLoops = Math.max(1, cores / 2);
        // Starting Vert.x (Netty, epoll, thread pools: mostly class loading) needs nothing from the log: it runs on
        // its own thread while the state is restored, which on a national log is single-threaded work.
        CompletableFuture<Vertx[]> sides = CompletableFuture.supplyAsync(() -> new Vertx[] {vertx(cores), vertx(officerLoops)},
                task -> Thread.ofPlatform().name("rekap-start-vertx").daemon().start(task));
        try {
            return start(store, config, t0, phases, cores, officerLoops, sides);
        } catch (RuntimeException | Error e) {
            // The event loops are not daemon threads: a start that fails must not leave them keeping the JVM alive.
            sides.thenAccept(v -> {
                for (Vertx x : v) x.close();
            });
            throw e;
        }
    }

    private static RekapServer start(ElectionStore store, Config config, long t0, StartPhases phases, int cores,
            int officerLoops, CompletableFuture<Vertx[]> sides) {
        Setup setup = store.loadSetup().orElseThrow(() -> new IllegalStateException(
                "the data directory has no election; run 'rekap import' or 'rekap demo' first"));
        phases.mark("setup_load");
        Election election = setup.election();
        phases.mark("tree_build");
        // Made here, not when the routes are mounted, so that its own thread writes the region CSV (about a second of
        // CPU at national scale) beside the restore rather than after it.
        SetupFiles setupFiles = SetupFiles.of(setup, election);
        long size = store.logSize();
        byte[] fingerprint = SavedState.fingerprint(setup.name(), election);
        Restore.Result restored = Restore.run(store, election, fingerprint);
        Tally tally = restored.tally();
        Intake intake = restored.intake();
        InMemoryHashStore hashes = restored.hashes();
        if (restored.ignored() != null) EventLog.event("saved_state_ignored", "reason", restored.ignored());
        phases.mark(restored.fromSaved() >= 0 ? "restore" : "replay");
        LogWriter writer = new LogWriter(store, intake, hashes, restored.tree());
        StateSaver saver = new StateSaver(store, fingerprint, tally, intake, hashes, writer::tree, writer::failure,
                restored.fromSaved());
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        Thread check = restored.fromSaved() <= 0 ? null : Thread.ofVirtual().name("rekap-log-check").start(() -> {
            // The entries the saved state stands for were not read at start: compare them with the tree now.
            try {
                String problem = Restore.checkPrefix(store, restored, closing::get);
                if (problem != null) writer.halt(problem);
                if (!closing.get()) EventLog.event(problem == null ? "log_checked" : "log_check_failed", "entries",
                        restored.fromSaved(), "problem", String.valueOf(problem));
            } catch (RuntimeException e) {
                if (!closing.get()) EventLog.event("log_check_failed", "error", String.valueOf(e));
            }
        });
        Publisher publisher = new Publisher(tally, setup.name(), new LogSigning(config.signer(), writer::tree));
        phases.mark("publisher_init");
        publisher.refresh();
        phases.mark("first_publish");
        EventLog.event("log_replayed", "entries", size, "from_saved_state", restored.fromSaved(), "tps", election.tree().tpsCount(),
                "contests", election.contests().size(), "ms", (System.nanoTime() - t0) / 1_000_000);

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.gauge("rekap_log_size", tally, t -> t.logSize());
        metrics.gauge("rekap_published_log_size", publisher, p -> p.publishedSize());
        PublicApi.RESPONDER.date(httpDate());
        Vertx[] started = sides.join();
        Vertx publicVertx = started[0], officerVertx = started[1];

        // The public side: documents before the router, on every core.
        Guard publicGuard = guard("public", config.publicLimits(), false, config.clientHeader(), metrics);
        publicVertx.setPeriodic(1000, id -> PublicApi.RESPONDER.date(httpDate()));
        ExecutorService publicBlocking = new SheddingExecutor(Executors.newVirtualThreadPerTaskExecutor(),
                config.publicLimits().maxBlocking(), "public", s -> publicGuard.shed());
        Router pub = router(publicVertx);
        PhotoStore photos = new PhotoStore(config.photoDir());
        pub.get("/photos/:sha").handler(ctx -> {
            String sha = ctx.pathParam("sha");
            if (!PhotoStore.SHA256.matcher(sha).matches() || !photos.has(sha)) {
                ErrorBody.send(ctx.response(), 404, "no photo " + sha, List.of());
                return;
            }
            ctx.response().putHeader("Cache-Control", "public, max-age=31536000, immutable")
                    .putHeader("X-Content-Type-Options", "nosniff").sendFile(photos.path(sha).toString());
        });
        new DetailApi(publisher, setup.name(), store, publicBlocking).mount(pub);
        new LogApi(publisher, store, hashes, publicBlocking).mount(pub);
        PublicApi publicApi = new PublicApi(publisher, setupFiles);
        publicApi.mount(pub);
        finish(pub);
        List<HttpServer> publicListeners = listen(publicVertx, publicGuard, config.host(), config.port(), cores,
                req -> {
                    if (!publicApi.fastPath(req)) pub.handle(req);
                });

        // The officer side: its own event loop(s) and budget, so readers cannot starve submissions.
        Guard officerGuard = guard("officer", config.officerLimits(), true, config.clientHeader(), metrics);
        ExecutorService officerBlocking = new SheddingExecutor(Executors.newVirtualThreadPerTaskExecutor(),
                config.officerLimits().maxBlocking(), "officer", s -> officerGuard.shed());
        Router off = router(officerVertx);
        OfficerApi officerApi = new OfficerApi(election, writer, intake, store, photos, officerBlocking, metrics);
        officerApi.mount(off);
        new ReviewApi(election, intake, writer, officerBlocking, metrics).mount(off);
        new AdminApi(config.adminToken(), writer, officerBlocking, metrics).mount(off);
        off.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.scrape()));
        publicApi.mountForOfficers(off);
        finish(off);
        List<HttpServer> officerListeners = listen(officerVertx, officerGuard, config.officerHost(),
                config.officerPort(), officerLoops, req -> {
                    if (!officerApi.fastPath(req)) off.handle(req);
                });

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
        // Saving holds the writer for seconds at national scale: do it once the log has been quiet for a while, and
        // while it is busy only after very many entries (bounding the tail a restart replays).
        long[] lastGrowth = {tally.logSize(), System.nanoTime()};
        ticker.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime(), logSize = tally.logSize();
            if (logSize != lastGrowth[0]) {
                lastGrowth[0] = logSize;
                lastGrowth[1] = now;
            }
            save(saver, now - lastGrowth[1] >= QUIET_BEFORE_SAVE.toNanos() ? SAVE_EVERY : SAVE_WHILE_BUSY);
        }, 5, 5, TimeUnit.SECONDS);
        phases.mark("listen");
        EventLog.event("start_phases", phases.keyValues());
        EventLog.event("server_started", "port", publicListeners.get(0).actualPort(), "officer_port",
                officerListeners.get(0).actualPort(), "transport", Transport.EPOLL.available() ? "epoll" : "nio",
                "log_size", size);
        return new RekapServer(store, List.of(publicVertx, officerVertx), publicListeners, officerListeners, writer,
                List.of(publicBlocking, officerBlocking), ticker, publisher, tally, phases, saver, () -> {
                    closing.set(true);
                    if (check != null) check.join();
                    return null;
                });
    }

    /** Saves the derived state if the log grew by {@code minGrowth}; a failure only costs the next start time. */
    private static void save(StateSaver saver, long minGrowth) {
        long t0 = System.nanoTime();
        try {
            long saved = saver.saveIfBehind(minGrowth);
            if (saved >= 0) EventLog.event("state_saved", "log_size", saved, "ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            EventLog.event("state_save_failed", "error", String.valueOf(e));
        }
    }

    /** A side's guard, reporting bans and closed slow connections to the event log. */
    static Guard guard(String side, GuardLimits limits, boolean bodies, String clientHeader,
            PrometheusMeterRegistry metrics) {
        return new Guard(side, limits, bodies, clientHeader, metrics, (reason, client) -> EventLog.event(
                reason == Guard.Reason.BANNED ? "client_banned" : "slow_connections_closed", "side", side,
                "client", client));
    }

    private static Vertx vertx(int eventLoops) {
        return Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops)
                        .setWorkerPoolSize(4).setInternalBlockingPoolSize(4))
                .withTransport(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO).build();
    }

    private static Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader(io.netty.handler.codec.http.HttpHeaderNames.DATE, PublicApi.RESPONDER.date());
            ctx.next();
        });
        return router;
    }

    /** The last routes of a side: a JSON 404, and a JSON error for anything a handler failed with. */
    private static void finish(Router router) {
        router.route().last().handler(ctx -> ErrorBody.send(ctx.response(), 404, "nothing at " + ctx.request().path(), List.of()));
        router.route().failureHandler(ctx -> {
            if (ctx.failure() instanceof Shed) {
                ctx.response().putHeader("Retry-After", "1");
                ErrorBody.send(ctx.response(), 503, "busy: retry in a second (published results stay available)", List.of());
                return;
            }
            int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
            if (status == 500) EventLog.event("request_failed", "path", ctx.request().path(),
                    "error", String.valueOf(ctx.failure()));
            ErrorBody.send(ctx.response(), status, status == 413 ? "the body is too large" : status == 500
                    ? "internal error" : "bad request", List.of());
        });
    }

    /**
     * One listener per event loop: with SO_REUSEPORT (epoll) each has its own socket and the kernel spreads
     * connections over them; without it only one listener is made.
     */
    private static List<HttpServer> listen(Vertx vertx, Guard guard, String host, int port, int count,
            io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
        HttpServerOptions options = guard.apply(new HttpServerOptions().setHost(host).setPort(port)
                .setCompressionSupported(true).setReusePort(Transport.EPOLL.available()));
        io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> guarded = guard.wrap(handler);
        List<HttpServer> listeners = new java.util.ArrayList<>();
        for (int i = 0; i == 0 || (options.isReusePort() && i < count); i++) {
            HttpServer server = vertx.createHttpServer(i == 0 ? options
                    : new HttpServerOptions(options).setPort(listeners.get(0).actualPort()));
            guard.attach(server);
            listeners.add(server.requestHandler(guarded).listen().await());
        }
        guard.startSweeper(vertx);
        return List.copyOf(listeners);
    }

    private static String httpDate() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** The public side's port. */
    public int port() {
        return publicListeners.get(0).actualPort();
    }

    /** The officer and administrator side's port. */
    public int officerPort() {
        return officerListeners.get(0).actualPort();
    }

    public Publisher publisher() {
        return publisher;
    }

    /** How long each phase of this server's start took. */
    public List<StartPhases.Phase> startPhases() {
        return phases.phases();
    }

    public Tally tally() {
        return tally;
    }

    @Override
    public void close() {
        for (HttpServer s : publicListeners) s.close().await();
        for (HttpServer s : officerListeners) s.close().await();
        writer.close();
        try {
            stopCheck.call();
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save(saver, 1);
        for (ExecutorService b : blocking) b.shutdown();
        for (Vertx v : vertxes) v.close().await();
        EventLog.event("server_stopped", "log_size", store.logSize());
    }
}
