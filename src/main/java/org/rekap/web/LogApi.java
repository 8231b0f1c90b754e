package org.rekap.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.rekap.codec.Json;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.HashStore;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.publish.Publisher;
import org.rekap.publish.Snapshot;
import org.rekap.sheet.FieldError;
import org.rekap.store.ElectionStore;

/**
 * The log as C2SP tlog-tiles: {@code /checkpoint}, hash tiles {@code /tile/<L>/<N>[.p/<W>]} and entry bundles
 * {@code /tile/entries/<N>[.p/<W>]}, plus inclusion and consistency proofs as JSON. Full tiles never change and are
 * cached for a year; the checkpoint and partial tiles for seconds. Everything is bounded by the current snapshot's
 * checkpoint, so a client never sees a tile its checkpoint does not cover.
 */
final class LogApi {
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String SHORT = "public, max-age=5, stale-while-revalidate=10, stale-if-error=86400";
    private final Publisher publisher;
    private final ElectionStore store;
    private final HashStore hashes;
    private final ExecutorService blocking;
    private final Cache<Long, byte[]> fullBundles = Caffeine.newBuilder().maximumSize(20_000).build();

    LogApi(Publisher publisher, ElectionStore store, HashStore hashes, ExecutorService blocking) {
        this.publisher = publisher;
        this.store = store;
        this.hashes = hashes;
        this.blocking = blocking;
    }

    void mount(Router router) {
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            router.route(m, "/checkpoint").handler(this::checkpoint);
            router.routeWithRegex(m, "/tile/.+").handler(this::tile);
            router.route(m, "/api/v1/proof/inclusion.json").handler(this::inclusion);
            router.route(m, "/api/v1/proof/consistency.json").handler(this::consistency);
        }
    }

    private void checkpoint(RoutingContext ctx) {
        Snapshot s = publisher.snapshot();
        if (s.checkpoint() == null) {
            ErrorBody.send(ctx.response(), 404, "no checkpoint yet", List.of());
            return;
        }
        PublicApi.send(ctx, s.checkpoint(), s.logSize(), SHORT);
    }

    private void tile(RoutingContext ctx) {
        String path = ctx.request().path().substring(1);
        Optional<Tile> parsed = TileLayout.parse(path);
        long size = publisher.snapshot().logSize();
        if (parsed.isEmpty() || !covered(parsed.get(), size)) {
            ErrorBody.send(ctx.response(), 404, "no tile " + path + " in the log of size " + size, List.of());
            return;
        }
        Tile tile = parsed.get();
        String cache = tile.isPartial() ? SHORT : IMMUTABLE;
        if (!tile.isEntries()) {
            raw(ctx, TileLayout.hashTile(hashes, tile), cache, "application/octet-stream");
            return;
        }
        byte[] cached = tile.isPartial() ? null : fullBundles.getIfPresent(tile.index());
        if (cached != null) {
            raw(ctx, cached, cache, "application/octet-stream");
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        blocking.execute(() -> {
            List<byte[]> entries = new ArrayList<>(tile.width());
            long first = TileLayout.firstLeaf(tile);
            store.readLog(first, first + tile.width(), e -> entries.add(e.bytes()));
            byte[] bundle = EntryBundle.encode(entries);
            if (!tile.isPartial()) fullBundles.put(tile.index(), bundle);
            context.runOnContext(v -> raw(ctx, bundle, cache, "application/octet-stream"));
        });
    }

    /** Whether a tree of {@code size} leaves has this tile (a partial one of at most the width it has). */
    static boolean covered(Tile tile, long size) {
        int shift = TileLayout.HEIGHT * (tile.isEntries() ? 0 : tile.level());
        long available = (size >>> shift) - tile.index() * TileLayout.WIDTH;
        return available >= tile.width() && (tile.width() == TileLayout.WIDTH || available < TileLayout.WIDTH);
    }

    private void inclusion(RoutingContext ctx) {
        long size = publisher.snapshot().logSize();
        List<FieldError> errors = new ArrayList<>();
        long index = param(ctx, "index", errors), treeSize = param(ctx, "size", errors);
        if (errors.isEmpty() && (treeSize < 1 || treeSize > size))
            errors.add(new FieldError("size", "range", "must be 1.." + size + " (the published tree size)"));
        if (errors.isEmpty() && index >= treeSize) errors.add(new FieldError("index", "range", "must be below size " + treeSize));
        if (!errors.isEmpty()) {
            ErrorBody.send(ctx.response(), 400, "bad proof request", errors);
            return;
        }
        MerkleTree tree = new MerkleTree(hashes, size);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("index", index).put("size", treeSize);
        o.put("leafHash", b64(tree.leafHash(index)));
        o.put("root", b64(tree.root(treeSize)));
        ArrayNode proof = o.putArray("proof");
        for (byte[] h : tree.inclusionProof(index, treeSize)) proof.add(b64(h));
        json(ctx, o);
    }

    private void consistency(RoutingContext ctx) {
        long size = publisher.snapshot().logSize();
        List<FieldError> errors = new ArrayList<>();
        long from = param(ctx, "from", errors), to = param(ctx, "to", errors);
        if (errors.isEmpty() && (to < 1 || to > size))
            errors.add(new FieldError("to", "range", "must be 1.." + size + " (the published tree size)"));
        if (errors.isEmpty() && (from < 1 || from > to)) errors.add(new FieldError("from", "range", "must be 1.." + to));
        if (!errors.isEmpty()) {
            ErrorBody.send(ctx.response(), 400, "bad proof request", errors);
            return;
        }
        MerkleTree tree = new MerkleTree(hashes, size);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("from", from).put("to", to).put("fromRoot", b64(tree.root(from))).put("toRoot", b64(tree.root(to)));
        ArrayNode proof = o.putArray("proof");
        for (byte[] h : tree.consistencyProof(from, to)) proof.add(b64(h));
        json(ctx, o);
    }

    private static long param(RoutingContext ctx, String name, List<FieldError> errors) {
        String v = ctx.request().getParam(name);
        try {
            if (v == null) throw new NumberFormatException();
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, "type", "must be a whole number"));
            return -1;
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void json(RoutingContext ctx, ObjectNode o) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", IMMUTABLE).end(o.toString());
    }

    private static void raw(RoutingContext ctx, byte[] body, String cache, String type) {
        HttpServerResponse r = ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", cache)
                .putHeader("Content-Length", Integer.toString(body.length));
        if (ctx.request().method() == HttpMethod.HEAD) r.end();
        else r.end(Buffer.buffer(body));
    }
}
