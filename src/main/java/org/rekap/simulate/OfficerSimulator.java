package org.rekap.simulate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import java.util.Base64;
import org.rekap.sheet.TallySheet;

/**
 * Submits sheets as officers would: one HTTP request per sheet, at a target rate, with bounded concurrency, retrying
 * with back-off when the server is unreachable or busy (the same submission id makes a retry safe).
 */
public final class OfficerSimulator {
    /** One sheet to submit, with the id its officer chose and the officer whose phone signs it. */
    public record Job(String submissionId, TallySheet sheet, SimOfficer officer) {}

    /** What happened: 201s (counted or held alike), refusals (4xx), and requests given up after all retries. */
    public record Result(long accepted, long refused, long failed, long retries, Duration took) {}

    private final URI endpoint;
    private final URI enrolEndpoint;
    private final HttpClient client;
    private final int concurrency;
    private final double ratePerSecond;
    private final AtomicBoolean stop = new AtomicBoolean();

    /** @param ratePerSecond 0 for as fast as concurrency allows */
    public OfficerSimulator(URI base, int concurrency, double ratePerSecond) {
        this.endpoint = base.resolve("/api/officer/v1/sheets");
        this.enrolEndpoint = base.resolve("/api/officer/v1/enrol");
        this.concurrency = concurrency;
        this.ratePerSecond = ratePerSecond;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** Whether {@link #stop} was called. */
    public boolean stopped() {
        return stop.get();
    }

    /** Asks a running {@link #run} to stop after the requests in flight. */
    public void stop() {
        stop.set(true);
    }

    /** Enrols each officer's phone with its code (one request each), before any sheet is sent. */
    public Result enrol(java.util.Collection<SimOfficer> officers, LongConsumer progress) throws InterruptedException {
        List<Job> none = new java.util.ArrayList<>();
        for (SimOfficer o : officers) none.add(new Job(null, null, o));
        return run(none, progress);
    }

    public Result run(List<Job> jobs, LongConsumer progress) throws InterruptedException {
        long start = System.nanoTime();
        AtomicLong accepted = new AtomicLong(), refused = new AtomicLong(),
                failed = new AtomicLong(), retries = new AtomicLong();
        Semaphore slots = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < jobs.size() && !stop.get(); i++) {
                if (ratePerSecond > 0) {
                    long due = start + (long) (i * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing, not synchronisation
                }
                slots.acquire();
                Job job = jobs.get(i);
                pool.execute(() -> {
                    try {
                        int status = send(job, retries);
                        if (status == 201) {
                            accepted.incrementAndGet();
                        } else if (status >= 400 && status < 500) refused.incrementAndGet();
                        else failed.incrementAndGet();
                    } finally {
                        slots.release();
                        progress.accept(1);
                    }
                });
            }
        }
        return new Result(accepted.get(), refused.get(), failed.get(), retries.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private int send(Job job, AtomicLong retries) {
        var body = Json.MAPPER.createObjectNode();
        URI target;
        if (job.sheet() == null) { // an enrolment
            target = enrolEndpoint;
            body.put("code", job.officer().code());
            body.put("publicKey", Base64.getEncoder().encodeToString(job.officer().publicKey()));
        } else {
            target = endpoint;
            body.put("submissionId", job.submissionId());
            body.set("sheet", SheetJson.write(job.sheet()));
            body.put("device", job.officer().device());
            body.put("signature", Base64.getEncoder().encodeToString(
                    job.officer().sign(SignedPayloads.sheet(job.submissionId(), job.sheet()))));
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long backoff = 100;
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() < 500 && r.statusCode() != 429) return r.statusCode();
                if (attempt >= 5 || stop.get()) return r.statusCode();
            } catch (java.io.IOException e) {
                if (attempt >= 5 || stop.get()) return 599;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 599;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(backoff); // back-off before a retry, as a phone on a bad network would
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 599;
            }
            backoff = Math.min(backoff * 2, 5000);
        }
    }
}
