package org.rekap.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.LogEntry;
import org.rekap.publish.Document;
import org.rekap.publish.Publisher;
import org.rekap.publish.SearchIndex;
import org.rekap.publish.Snapshot;
import org.rekap.publish.TpsDetail;
import org.rekap.sheet.FieldError;
import org.rekap.store.ElectionStore;

/**
 * Read-side answers that are not precomputed for every key: TPS detail (one document per sheet version, rendered
 * from immutable log entries on first request and cached) and search (cached per query). The work runs on virtual
 * threads with bounded concurrency; the event loop only looks up caches.
 */
final class DetailApi {
    private static final int MAX_CONCURRENT = 16;
    private final Publisher publisher;
    private final Election election;
    private final String electionName;
    private final ElectionStore store;
    private final ExecutorService blocking;
    private final SearchIndex search;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
    private final Cache<Long, Document> tpsBySeq = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<String, Document> searches = Caffeine.newBuilder().maximumSize(10_000).build();

    DetailApi(Publisher publisher, String electionName, ElectionStore store, ExecutorService blocking) {
        this.publisher = publisher;
        this.election = publisher.election();
        this.electionName = electionName;
        this.store = store;
        this.blocking = blocking;
        this.search = new SearchIndex(election.tree());
    }

    void mount(Router router) {
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            router.routeWithRegex(m, "/api/v1/tps/(?<code>[^/]+)/(?<contest>[^/]+)\\.json").handler(this::tps);
            router.route(m, "/api/v1/search").handler(this::search);
        }
    }

    private void tps(RoutingContext ctx) {
        Snapshot snapshot = publisher.snapshot();
        String code = ctx.pathParam("code"), contestId = ctx.pathParam("contest");
        int node = election.tree().index(code);
        Contest contest = election.contest(contestId);
        if (node < 0 || !election.tree().isTps(node) || contest == null || !election.covers(contest, node)) {
            ErrorBody.send(ctx.response(), 404, "TPS " + code + " has no sheet for contest " + contestId + " here", List.of());
            return;
        }
        long seq = snapshot.currentSeq(election.tree(), node, contestId);
        if (seq < 0) {
            PublicApi.send(ctx, TpsDetail.none(election, node, contestId, snapshot.logSize()), snapshot.logSize());
            return;
        }
        Document cached = tpsBySeq.getIfPresent(seq);
        if (cached != null) {
            PublicApi.send(ctx, cached, snapshot.logSize());
            return;
        }
        offload(ctx, () -> {
            Document doc = TpsDetail.render(election, electionName, this::entry, seq);
            tpsBySeq.put(seq, doc);
            return doc;
        }, snapshot.logSize());
    }

    private LogEntry entry(long seq) {
        List<LogEntry> one = new ArrayList<>(1);
        store.readLog(seq, seq + 1, one::add);
        if (one.isEmpty()) throw new IllegalStateException("no log entry " + seq);
        return one.getFirst();
    }

    private void search(RoutingContext ctx) {
        String q = ctx.request().getParam("q");
        if (q == null || SearchIndex.normalize(q).length() < SearchIndex.MIN_QUERY || q.length() > 100) {
            ErrorBody.send(ctx.response(), 400, "the search needs a query", List.of(new FieldError("q", "length",
                    "must be " + SearchIndex.MIN_QUERY + " to 100 characters")));
            return;
        }
        String key = SearchIndex.normalize(q);
        Document cached = searches.getIfPresent(key);
        long size = publisher.publishedSize();
        if (cached != null) {
            PublicApi.send(ctx, cached, size);
            return;
        }
        offload(ctx, () -> {
            Document doc = Document.of("application/json; charset=utf-8", search.answer(q.strip()), size, true);
            searches.put(key, doc);
            return doc;
        }, size);
    }

    private interface Work {
        Document run();
    }

    /** Runs work on a virtual thread (at most MAX_CONCURRENT at once; beyond that, 503 with Retry-After). */
    private void offload(RoutingContext ctx, Work work, long logSize) {
        if (!slots.tryAcquire()) {
            ctx.response().putHeader("Retry-After", "1");
            ErrorBody.send(ctx.response(), 503, "busy; retry in a second", List.of());
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        blocking.execute(() -> {
            Document doc;
            try {
                doc = work.run();
            } catch (RuntimeException e) {
                EventLog.event("detail_failed", "path", ctx.request().path(), "error", String.valueOf(e));
                context.runOnContext(v -> ErrorBody.send(ctx.response(), 500, "internal error", List.of()));
                return;
            } finally {
                slots.release();
            }
            context.runOnContext(v -> PublicApi.send(ctx, doc, logSize));
        });
    }
}
