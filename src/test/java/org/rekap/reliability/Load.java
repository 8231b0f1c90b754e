package org.rekap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rekap.codec.Json;

/**
 * Officers submitting signed sheets concurrently over HTTP, each answer recorded: a 201 with its receipt is an
 * acknowledged sheet (the server promised it is durable), a request the server never answered (killed mid-request, or
 * refused the connection) is kept for the phone to retry, anything else is unexpected.
 */
final class Load {
    /** A sheet the server acknowledged: where the receipt says it is in the log, and when it was received. */
    record Ack(Submission submission, long seq, Instant receivedAt, String status) {}

    /** The server's answer to one request, or null fields when there was none (connection reset or refused). */
    record Answer(int status, String body) {
        boolean none() {
            return status == 0;
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final Deque<Submission> queue;
    final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    final Queue<Submission> unanswered = new ConcurrentLinkedQueue<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger acked = new AtomicInteger();
    private final List<Thread> officers = new ArrayList<>();
    private volatile boolean stop;

    /** @param queue the sheets still to send, shared with later trials (what this load does not take stays there) */
    Load(HttpClient http, URI officerBase, Deque<Submission> queue) {
        this.http = http;
        this.endpoint = officerBase.resolve("api/officer/v1/sheets");
        this.queue = queue;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends one submission and waits for the answer. */
    static Answer send(HttpClient http, URI endpoint, Submission s) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(s.body())).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, String.valueOf(e));
        }
    }

    /** The receipt of a 201, or null when the answer is anything else. */
    static Ack receipt(Submission s, Answer a) {
        if (a.status() != 201) return null;
        try {
            JsonNode r = Json.MAPPER.readTree(a.body());
            if (!s.id().equals(r.path("id").asText())) return null;
            return new Ack(s, r.get("seq").asLong(), Instant.parse(r.get("receivedAt").asText()), r.get("status").asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** Starts {@code concurrency} officers, each sending the next sheet of the queue as soon as its last is answered. */
    void start(int concurrency) {
        for (int i = 0; i < concurrency; i++) officers.add(Thread.ofVirtual().name("officer-" + i).start(this::officer));
    }

    private void officer() {
        while (!stop) {
            Submission s = queue.pollFirst();
            if (s == null) return;
            inFlight.incrementAndGet();
            try {
                Answer a = send(http, endpoint, s);
                Ack ack = receipt(s, a);
                if (ack != null) {
                    acks.add(ack);
                    acked.incrementAndGet();
                }
                else if (a.none()) unanswered.add(s);
                else unexpected.add(s.id() + ": HTTP " + a.status() + " " + a.body());
            } catch (InterruptedException e) {
                unanswered.add(s);
                return;
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Requests waiting for an answer right now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Sheets acknowledged so far. */
    int acked() {
        return acked.get();
    }

    /** Whether sheets remain to be sent. */
    boolean hasWork() {
        return !queue.isEmpty();
    }

    /** Lets every officer finish the request in hand (after a kill, they fail at once), then returns. */
    void stop() throws InterruptedException {
        stop = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (Thread t : officers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left)))
                throw new IllegalStateException("an officer's request did not end within 90 s of the kill");
        }
    }
}
