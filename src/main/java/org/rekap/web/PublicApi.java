package org.rekap.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Iterator;
import java.util.List;
import org.rekap.publish.Document;
import org.rekap.publish.Downloads;
import org.rekap.publish.Publisher;
import org.rekap.publish.Snapshot;

/**
 * The read side. Every answer comes from one {@link Snapshot}, on the event loop: for the hot documents a map lookup,
 * content negotiation, and a write of precomputed bytes; a deep document is rendered from the snapshot's numbers when
 * its bytes are not cached yet (tens of microseconds: small enough for the loop, and a revalidation needs no
 * rendering at all).
 */
final class PublicApi {
    static final String SETUP_CACHE = "public, max-age=300";
    static final String CACHE_DOCUMENT = "public, max-age=2, stale-while-revalidate=10, stale-if-error=86400";
    private final Publisher publisher;
    private final SetupFiles setup;

    PublicApi(Publisher publisher, SetupFiles setup) {
        this.publisher = publisher;
        this.setup = setup;
    }

    void mount(Router router) {
        mountDocuments(router);
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            router.routeWithRegex(m, "/api/v1/download/(?<code>[^/]+)/(?<contest>[^/]+)\\.(?<format>csv|json)")
                    .handler(this::download);
        }
        router.get("/api/v1/setup/regions.csv").handler(ctx -> {
            io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
            setup.regions().whenComplete((doc, failure) -> context.runOnContext(v -> {
                if (failure != null) ErrorBody.send(ctx.response(), 500, "the region file could not be made", List.of());
                else send(ctx, doc, publisher.publishedSize(), SETUP_CACHE);
            }));
        });
        router.get("/api/v1/setup/contests.json").handler(ctx -> send(ctx, setup.contests(), publisher.publishedSize(), SETUP_CACHE));
        byte[] openapi = openapi();
        router.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
                .putHeader("Cache-Control", "public, max-age=300").end(Buffer.buffer(openapi)));
        // The officer app lives on the officer side, whose address officers get with their code.
        router.route("/petugas/*").handler(ctx -> ErrorBody.send(ctx.response(), 404,
                "the officer app is served on the officer address, not the public one", List.of()));
        router.route("/*").handler(StaticHandler.create("web").setCachingEnabled(true).setMaxAgeSeconds(60)
                .setIndexPage("index.html"));
    }

    /** The election and region documents, which the officer app reads to know its TPS's contests. */
    private void mountDocuments(Router router) {
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            router.route(m, "/api/v1/election.json").handler(ctx -> serve(ctx, Snapshot.ELECTION));
            router.routeWithRegex(m, "/api/v1/(?<path>regions/[^/]+(/[^/]+)?\\.json)")
                    .handler(ctx -> serve(ctx, ctx.pathParam("path")));
        }
    }

    /** The officer side's read routes: the documents the app needs, and the app itself at /petugas/. */
    void mountForOfficers(Router router) {
        mountDocuments(router);
        router.get("/").handler(ctx -> ctx.redirect("/petugas/"));
        router.route("/petugas/*").handler(StaticHandler.create("web/petugas").setCachingEnabled(true)
                .setMaxAgeSeconds(60).setIndexPage("index.html"));
    }

    private static byte[] openapi() {
        try (var in = PublicApi.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) throw new IllegalStateException("openapi.yaml is missing from the jar");
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void serve(RoutingContext ctx, String path) {
        Snapshot snapshot = publisher.snapshot();
        Document doc = snapshot.document(path);
        if (doc == null) {
            ErrorBody.send(ctx.response(), 404, "no document at /api/v1/" + path, List.of());
            return;
        }
        send(ctx, doc, snapshot.logSize());
    }

    /** Sends a precomputed document in the best coding the client accepts, or 304 when its tag still matches. */
    static void send(RoutingContext ctx, Document doc, long logSize) {
        send(ctx, doc, logSize, CACHE_DOCUMENT);
    }

    static void send(RoutingContext ctx, Document doc, long logSize, String cacheControl) {
        RESPONDER.send(ctx.request(), doc, logSize, cacheControl);
    }

    /**
     * The hot path, before the router: election and region documents straight from the snapshot. Returns false
     * for anything else (the router handles it).
     */
    boolean fastPath(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) return false;
        String path = req.path();
        if (!path.startsWith(API)) return false;
        String key = path.substring(API.length());
        if (!key.endsWith(".json") || !(key.startsWith("regions/") || key.equals(Snapshot.ELECTION))) return false;
        Snapshot snapshot = publisher.snapshot();
        Document doc = snapshot.document(key);
        if (doc == null) return false; // the router's handler gives the 404 with its error body
        RESPONDER.send(req, doc, snapshot.logSize(), CACHE_DOCUMENT_HEADER);
        return true;
    }

    static final DocumentResponder RESPONDER = new DocumentResponder();
    private static final String API = "/api/v1/";
    private static final CharSequence CACHE_DOCUMENT_HEADER = io.vertx.core.http.HttpHeaders.createOptimized(CACHE_DOCUMENT);

    private void download(RoutingContext ctx) {
        Snapshot snapshot = publisher.snapshot();
        String code = ctx.pathParam("code"), contest = ctx.pathParam("contest"), format = ctx.pathParam("format");
        Iterator<byte[]> chunks = format.equals("csv")
                ? Downloads.csv(snapshot, publisher.election(), code, contest)
                : Downloads.json(snapshot, publisher.election(), code, contest);
        if (chunks == null) {
            ErrorBody.send(ctx.response(), 404, "no results of contest " + contest + " at region " + code, List.of());
            return;
        }
        HttpServerResponse r = ctx.response()
                .putHeader("Content-Type", format.equals("csv") ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"rekap-" + code + "-" + contest + "-"
                        + snapshot.logSize() + "." + format + "\"")
                .putHeader("Cache-Control", CACHE_DOCUMENT)
                .putHeader("X-Rekap-Log-Size", Long.toString(snapshot.logSize()))
                .setChunked(true);
        if (ctx.request().method() == HttpMethod.HEAD) {
            r.end();
            return;
        }
        pump(r, chunks);
    }

    /** Writes chunks while the connection keeps up, then waits for it to drain: flat memory for national files. */
    private static void pump(HttpServerResponse r, Iterator<byte[]> chunks) {
        while (chunks.hasNext() && !r.writeQueueFull()) r.write(Buffer.buffer(chunks.next()));
        if (chunks.hasNext()) r.drainHandler(v -> pump(r, chunks));
        else r.end();
    }
}
