package org.rekap.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.rekap.codec.Json;
import org.rekap.simulate.SimOfficer;

/**
 * Phones enrolling while the sheets pour in, so that kills also land between an enrolment code being spent and the
 * enrolment reaching the log. An enrolled phone's sheets join the submission queue.
 */
final class LateEnrolment {
    /** An enrolment the server acknowledged, at this log position. */
    record Enrolled(SimOfficer officer, long seq) {}

    private final HttpClient http;
    private final URI endpoint;
    private final Deque<SimOfficer> phones;
    private final Consumer<SimOfficer> onEnrolled;
    final Queue<Enrolled> enrolled = new ConcurrentLinkedQueue<>();
    final Queue<SimOfficer> unanswered = new ConcurrentLinkedQueue<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    LateEnrolment(HttpClient http, URI officerBase, Deque<SimOfficer> phones, Consumer<SimOfficer> onEnrolled) {
        this.http = http;
        this.endpoint = officerBase.resolve("api/officer/v1/enrol");
        this.phones = phones;
        this.onEnrolled = onEnrolled;
    }

    /** Enrols one phone; the answer, or status 0 when there was none. */
    static Load.Answer send(HttpClient http, URI endpoint, SimOfficer phone) throws InterruptedException {
        var body = Json.MAPPER.createObjectNode().put("code", phone.code())
                .put("publicKey", Base64.getEncoder().encodeToString(phone.publicKey()));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Load.Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Load.Answer(0, String.valueOf(e));
        }
    }

    /** The log position of a 201 enrolling this phone, or -1. */
    static long seq(SimOfficer phone, Load.Answer a) {
        if (a.status() != 201) return -1;
        try {
            var r = Json.MAPPER.readTree(a.body());
            return phone.device().equals(r.path("device").asText()) ? r.path("seq").asLong(-1) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    void start(int concurrency) {
        for (int i = 0; i < concurrency; i++) threads.add(Thread.ofVirtual().name("enrol-" + i).start(this::enrol));
    }

    private void enrol() {
        while (!stop) {
            SimOfficer phone = phones.pollFirst();
            if (phone == null) return;
            try {
                Load.Answer a = send(http, endpoint, phone);
                long seq = seq(phone, a);
                if (seq >= 0) {
                    enrolled.add(new Enrolled(phone, seq));
                    onEnrolled.accept(phone);
                } else if (a.none()) unanswered.add(phone);
                else unexpected.add("enrolment of " + phone.device() + ": HTTP " + a.status() + " " + a.body());
            } catch (InterruptedException e) {
                unanswered.add(phone);
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads)
            if (!t.join(Duration.ofSeconds(90))) throw new IllegalStateException("an enrolment did not end within 90 s of the kill");
    }
}
