package org.rekap.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Keeps one side of the server (public or officer) answering when some clients misbehave: a token bucket per client
 * (429 with Retry-After), caps on connections per client and in total, limits on header sizes, deadlines for slow
 * senders (slowloris) and slow requests, bodies refused where none belong, and a temporary ban for clients that keep
 * hammering after being told to wait (their connections are held unanswered until the header deadline: a tarpit). Everything refused is counted in {@code rekap_guard_refused_total}.
 *
 * <p>The per-request cost is one map lookup and one bucket update: the client is resolved once per connection.
 */
public final class Guard {
    /** Why a connection or request was refused: the {@code reason} label of the metric. */
    public enum Reason { RATE, BANNED, CONNECTIONS_PER_CLIENT, CONNECTIONS_TOTAL, SLOW_HEADERS, SLOW_REQUEST, BODY, SHED }

    private static final long BASE = System.nanoTime();
    private final String side;
    private final GuardLimits limits;
    private final boolean bodiesAllowed;
    private final String clientHeader;
    private final Cache<String, Client> clients;
    private final Map<HttpConnection, Conn> conns = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Reason, Counter> refused = new EnumMap<>(Reason.class);
    private final BiConsumer<Reason, String> events;

    /**
     * @param side "public" or "officer", the metrics' {@code side} label
     * @param bodiesAllowed false on the read side: no request there has a body, so one is refused before it is read
     * @param clientHeader a header set by a trusted proxy or CDN naming the real client (e.g. CF-Connecting-IP), or
     *     null to count clients by their TCP address; connection caps always count TCP peers
     * @param events told of bans (with the client's key) and of each sweep that closed slow connections (with their
     *     number), for the structured log
     */
    public Guard(String side, GuardLimits limits, boolean bodiesAllowed, String clientHeader, MeterRegistry metrics,
            BiConsumer<Reason, String> events) {
        this.side = side;
        this.limits = limits;
        this.bodiesAllowed = bodiesAllowed;
        this.clientHeader = clientHeader;
        this.events = events;
        // Bounded: a flood from spoofed or rotating addresses costs at most this many small entries.
        this.clients = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterAccess(Duration.ofMinutes(2)).build();
        for (Reason r : Reason.values())
            refused.put(r, Counter.builder("rekap_guard_refused_total").tag("side", side)
                    .tag("reason", r.name().toLowerCase()).description("requests or connections refused by the guard")
                    .register(metrics));
        metrics.gauge("rekap_guard_connections", java.util.List.of(io.micrometer.core.instrument.Tag.of("side", side)),
                open, AtomicInteger::get);
        metrics.gauge("rekap_guard_clients", java.util.List.of(io.micrometer.core.instrument.Tag.of("side", side)),
                clients, c -> c.estimatedSize());
    }

    /**
     * Sets the header and line limits on a listener's options. Clear-text HTTP/2 is off: browsers use HTTP/2 only
     * over TLS (terminated in front of us), and with it on the server waits for a connection's first bytes before it
     * tells us of the connection, so a connection that sends nothing would escape the caps and deadlines.
     */
    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false).setMaxHeaderSize(limits.maxHeaderBytes()).setMaxInitialLineLength(limits.maxLineBytes())
                .setIdleTimeout((int) Math.max(1, limits.requestTimeout().toSeconds()));
    }

    /** Counts and caps the listener's connections. */
    public void attach(HttpServer server) {
        server.connectionHandler(this::connected);
    }

    /** Wraps a side's request handler: requests pass to it only within the client's budget. */
    public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
        return req -> {
            Conn c = conns.get(req.connection());
            long now = now();
            Client client;
            if (c != null) {
                if (c.tarpit) return; // unanswered until the header deadline closes the connection
                c.current = req;
                c.since = now;
                client = c.client;
            } else {
                client = client(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress());
            }
            if (clientHeader != null) {
                String real = req.getHeader(clientHeader);
                if (real != null && !real.isBlank()) client = client(real.split(",", 2)[0].trim());
            }
            if (client.banned(now)) {
                refuse(Reason.BANNED, null);
                tarpit(c, req, now);
                return;
            }
            if (!bodiesAllowed && hasBody(req)) {
                refuse(Reason.BODY, null);
                // Answer, then close: the body is never read.
                req.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .end(body(413, "requests here have no body")).onComplete(v -> req.connection().close());
                return;
            }
            long wait = client.take();
            if (wait > 0) {
                if (client.strike(limits, now)) {
                    refuse(Reason.BANNED, keyOf(req));
                    tarpit(c, req, now);
                } else {
                    refuse(Reason.RATE, null);
                    long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
                    req.response().setStatusCode(429).putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                            .putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                            .end(TOO_MANY.copy());
                }
                return;
            }
            next.handle(req);
        };
    }

    /** Closes connections that are too slow to send a request or to finish one; call once per side. */
    public void startSweeper(Vertx vertx) {
        long headerNanos = limits.headerTimeout().toNanos(), requestNanos = limits.requestTimeout().toNanos();
        vertx.setPeriodic(500, id -> {
            long now = now();
            int closed = 0;
            for (var e : conns.entrySet()) {
                Conn c = e.getValue();
                HttpServerRequest r = c.current;
                boolean busy = !c.tarpit && r != null && !r.response().ended() && !r.response().closed();
                if (busy ? now - c.since > requestNanos : now - c.since > headerNanos) {
                    conns.remove(e.getKey(), c);
                    refuse(busy ? Reason.SLOW_REQUEST : Reason.SLOW_HEADERS, null);
                    e.getKey().close();
                    closed++;
                }
            }
            if (closed > 0) events.accept(Reason.SLOW_HEADERS, closed + " connections");
        });
    }

    /**
     * Holds a banned client's connection without answering until the header deadline closes it. Closing at once
     * would invite an immediate reconnect (each costing an accept and a handshake); holding it stalls the client for
     * free, and the per-client connection cap bounds what it can hold.
     */
    private static void tarpit(Conn c, HttpServerRequest req, long now) {
        if (c == null) {
            req.connection().close();
            return;
        }
        c.tarpit = true;
        c.since = now;
    }

    /** Counts a request shed for lack of capacity (see {@link SheddingExecutor}). */
    public void shed() {
        refuse(Reason.SHED, null);
    }

    public String side() {
        return side;
    }

    public GuardLimits limits() {
        return limits;
    }

    private void connected(HttpConnection conn) {
        String key = ClientKey.of(conn.remoteAddress() == null ? null : conn.remoteAddress().hostAddress());
        Client client = clients.get(key, k -> new Client(limits));
        long now = now();
        if (open.incrementAndGet() > limits.connections()) {
            open.decrementAndGet();
            refuse(Reason.CONNECTIONS_TOTAL, null);
            conn.close();
            return;
        }
        if (client.connections.incrementAndGet() > limits.connectionsPerClient()) {
            client.connections.decrementAndGet();
            open.decrementAndGet();
            refuse(Reason.CONNECTIONS_PER_CLIENT, null);
            conn.close();
            return;
        }
        Conn c = new Conn(client, key, now);
        if (client.banned(now)) {
            refuse(Reason.BANNED, null);
            c.tarpit = true;
        }
        conns.put(conn, c);
        conn.closeHandler(v -> {
            conns.remove(conn);
            client.connections.decrementAndGet();
            open.decrementAndGet();
        });
    }

    private Client client(String address) {
        return clients.get(ClientKey.of(address), k -> new Client(limits));
    }

    private String keyOf(HttpServerRequest req) {
        Conn c = conns.get(req.connection());
        return c != null ? c.key : ClientKey.of(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress());
    }

    private void refuse(Reason reason, String client) {
        refused.get(reason).increment();
        if (client != null) events.accept(reason, client);
    }

    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static long now() {
        return System.nanoTime() - BASE;
    }

    private static final String JSON = "application/json; charset=utf-8";
    private static final Buffer TOO_MANY = body(429, "too many requests from your address; retry after the seconds in Retry-After");

    private static Buffer body(int status, String message) {
        return Buffer.buffer("{\"error\":{\"status\":" + status + ",\"message\":\"" + message + "\",\"fields\":[]}}",
                StandardCharsets.UTF_8.name());
    }

    /** A connection's client and what it is doing: waiting for headers since {@code since}, or serving {@code current}. */
    private static final class Conn {
        final Client client;
        final String key;
        volatile HttpServerRequest current;
        volatile long since;
        /** Banned: requests go unanswered and the connection closes at the header deadline. */
        volatile boolean tarpit;

        Conn(Client client, String key, long since) {
            this.client = client;
            this.key = key;
            this.since = since;
        }
    }
}
