package org.rekap.guard;

import java.time.Duration;

/**
 * What one side of the server (public or officer) allows a client, and all clients together.
 *
 * @param requestsPerSecond sustained requests per second per client; 0 turns rate limiting off
 * @param burst requests a client may make at once before the rate applies
 * @param connectionsPerClient open connections per client
 * @param connections open connections in total (beyond it new connections are closed at once)
 * @param headerTimeout time a connection may take to send a request's headers, and to stay idle between requests
 * @param requestTimeout time a request may take from its headers to the end of its response
 * @param maxHeaderBytes size of all request headers together
 * @param maxLineBytes size of the request line (method, path, query)
 * @param strikesToBan rejected requests (within {@code banFor}) after which a client is shut out
 * @param banFor how long a shut-out client's connections are closed on arrival
 * @param maxBlocking requests of this side that may wait for blocking work (database, proofs) at once; more are shed
 */
public record GuardLimits(int requestsPerSecond, int burst, int connectionsPerClient, int connections,
        Duration headerTimeout, Duration requestTimeout, int maxHeaderBytes, int maxLineBytes, int strikesToBan,
        Duration banFor, int maxBlocking) {

    public GuardLimits {
        if (requestsPerSecond < 0 || burst < 1 || connectionsPerClient < 1 || connections < 1 || strikesToBan < 1
                || maxBlocking < 1)
            throw new IllegalArgumentException("limits must be positive (rate may be 0 for none)");
    }

    /**
     * Readers. Generous per client because mobile carriers put thousands of phones behind one address (CGNAT); a
     * page load makes about five requests and refreshes poll once every few seconds.
     */
    public static GuardLimits publicSide() {
        return new GuardLimits(50, 200, 64, 20_000, Duration.ofSeconds(10), Duration.ofMinutes(5), 8192, 4096,
                2_000, Duration.ofSeconds(30), 256);
    }

    /** Officers' phones and reviewers: few requests each, but uploads of photos on slow links. */
    public static GuardLimits officerSide() {
        return new GuardLimits(20, 100, 32, 10_000, Duration.ofSeconds(15), Duration.ofMinutes(2), 8192, 4096,
                1_000, Duration.ofSeconds(30), 4096);
    }

    public GuardLimits withRate(int perSecond) {
        return new GuardLimits(perSecond, Math.max(burst, perSecond), connectionsPerClient, connections, headerTimeout,
                requestTimeout, maxHeaderBytes, maxLineBytes, strikesToBan, banFor, maxBlocking);
    }

    public boolean rateLimited() {
        return requestsPerSecond > 0;
    }
}
