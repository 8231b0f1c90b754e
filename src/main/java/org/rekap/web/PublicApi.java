package org.rekap.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import org.rekap.publish.Document;
import org.rekap.publish.Publisher;

/** The read side: documents straight from the publisher's bytes, on the event loop, plus the static pages. */
final class PublicApi {
    private final Publisher publisher;

    PublicApi(Publisher publisher) {
        this.publisher = publisher;
    }

    void mount(Router router) {
        router.get("/api/v1/election.json").handler(ctx -> serve(ctx, publisher.election(), "election"));
        router.getWithRegex("/api/v1/regions/(?<code>[^/]+)\\.json").handler(ctx ->
                serve(ctx, publisher.contestsAt(ctx.pathParam("code")), "region " + ctx.pathParam("code")));
        router.getWithRegex("/api/v1/regions/(?<code>[^/]+)/(?<contest>[^/]+)\\.json").handler(ctx ->
                serve(ctx, publisher.region(ctx.pathParam("code"), ctx.pathParam("contest")),
                        "contest " + ctx.pathParam("contest") + " at region " + ctx.pathParam("code")));
        router.route("/*").handler(StaticHandler.create("web").setCachingEnabled(true).setMaxAgeSeconds(60)
                .setIndexPage("index.html"));
    }

    private static void serve(RoutingContext ctx, Document doc, String what) {
        if (doc == null) {
            ErrorBody.send(ctx.response(), 404, "no document for " + what, List.of());
            return;
        }
        var response = ctx.response()
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("ETag", doc.etag())
                .putHeader("Cache-Control", "public, max-age=2, stale-while-revalidate=10, stale-if-error=86400")
                .putHeader("X-Rekap-Log-Size", Long.toString(doc.logSize()));
        if (doc.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.end(Buffer.buffer(doc.body()));
    }
}
