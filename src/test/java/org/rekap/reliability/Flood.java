package org.rekap.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Election night on loopback: normal readers and officers at a steady pace, first alone (the baseline), then with
 * abusive clients at full speed and slowloris connections at the same time (the attack). Every client class has its
 * own loopback addresses (127.0.x.y), as different machines would, so per-address limits can tell them apart. Each
 * phase lasts a fixed time: the run is bounded.
 *
 * @param readers normal readers, each on its own address, each fetching a document every {@code readerEveryMillis}
 * @param officerAddresses addresses the officers submit from; each address sends {@code sheetsPerAddressPerSecond}
 * @param abusers threads hammering the public side over keep-alive connections, as fast as answers come
 * @param slowloris connections sending one header byte a second and never finishing
 */
public record Flood(int readers, int readerEveryMillis, int officerAddresses, double sheetsPerAddressPerSecond,
        int abusers, int slowloris, Duration phase) {

    /** What one phase measured. */
    public record Phase(String name, int readerRequests, int readerOk, long p50Micros, long p99Micros,
            int sheetsSent, int sheetsAccepted, double sheetsPerSecond, long sheetP99Micros,
            long abuserRequests, long abuser429, long abuserClosed, long slowConnectionsCut) {

        public double readerSuccess() {
            return readerRequests == 0 ? 0 : (double) readerOk / readerRequests;
        }

        @Override
        public String toString() {
            return String.format("%-8s readers %,d requests, %.2f%% ok, p50 %.1f ms, p99 %.1f ms | officers %,d/%,d "
                    + "accepted, %.1f sheets/s, p99 %.1f ms | abusers %,d requests, %,d x 429, %,d closed | slowloris "
                    + "%,d cut", name, readerRequests, 100 * readerSuccess(), p50Micros / 1e3, p99Micros / 1e3,
                    sheetsAccepted, sheetsSent, sheetsPerSecond, sheetP99Micros / 1e3, abuserRequests, abuser429,
                    abuserClosed, slowConnectionsCut);
        }
    }

    /** A signed sheet ready to send: the JSON body of {@code POST /api/officer/v1/sheets}. */
    public record Submission(String body) {}

    /**
     * Runs the baseline, then the attack, taking submissions from {@code sheets} in order (it must hold enough for
     * both phases).
     */
    public List<Phase> run(URI publicBase, URI officerBase, List<String> documents, Queue<Submission> sheets)
            throws InterruptedException {
        Phase baseline = phase("baseline", publicBase, officerBase, documents, sheets, false);
        Phase attack = phase("attack", publicBase, officerBase, documents, sheets, true);
        return List.of(baseline, attack);
    }

    private Phase phase(String name, URI publicBase, URI officerBase, List<String> documents, Queue<Submission> sheets,
            boolean attack) throws InterruptedException {
        long end = System.nanoTime() + phase.toNanos();
        Queue<Long> readerLatency = new ConcurrentLinkedQueue<>(), sheetLatency = new ConcurrentLinkedQueue<>();
        AtomicInteger readerRequests = new AtomicInteger(), sent = new AtomicInteger(), accepted = new AtomicInteger();
        AtomicLong abuserRequests = new AtomicLong(), abuser429 = new AtomicLong(), abuserClosed = new AtomicLong(),
                slowCut = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> read(address(1, id), publicBase, documents, end, id,
                    readerRequests, readerLatency)));
        }
        for (int i = 0; i < officerAddresses; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> submit(address(2, id), officerBase, sheets, end, sent,
                    accepted, sheetLatency)));
        }
        if (attack) {
            for (int i = 0; i < abusers; i++) {
                int id = i;
                threads.add(Thread.ofPlatform().daemon().start(() -> hammer(address(3, id % 4), publicBase, end, id,
                        abuserRequests, abuser429, abuserClosed)));
            }
            for (int i = 0; i < slowloris; i++) {
                int id = i;
                threads.add(Thread.ofVirtual().start(() -> trickle(address(4, id % 8), publicBase, end, slowCut)));
            }
        }
        for (Thread t : threads) t.join(phase.toMillis() + 60_000);
        long[] rl = sorted(readerLatency), sl = sorted(sheetLatency);
        return new Phase(name, readerRequests.get(), rl.length, percentile(rl, 50), percentile(rl, 99), sent.get(),
                accepted.get(), accepted.get() / (phase.toNanos() / 1e9), percentile(sl, 99), abuserRequests.get(),
                abuser429.get(), abuserClosed.get(), slowCut.get());
    }

    /** A normal reader: one document at a steady pace; only a 200 counts as success. */
    private void read(InetAddress from, URI base, List<String> documents, long end, int id, AtomicInteger requests,
            Queue<Long> latency) {
        HttpClient client = client(from);
        SplittableRandom rnd = new SplittableRandom(id);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            HttpRequest req = HttpRequest.newBuilder(base.resolve(documents.get(rnd.nextInt(documents.size()))))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build();
            long t0 = System.nanoTime();
            requests.incrementAndGet();
            try {
                if (client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
                    latency.add((System.nanoTime() - t0) / 1000);
            } catch (IOException e) {
                // a failed read: counted as requested, not as ok
            } catch (InterruptedException e) {
                return;
            }
            next += readerEveryMillis * 1_000_000L;
            pause(next);
        }
    }

    /** Officers behind one address: signed sheets at a steady pace; a 201 or 200 (exact replay) is an acceptance. */
    private void submit(InetAddress from, URI base, Queue<Submission> sheets, long end, AtomicInteger sent,
            AtomicInteger accepted, Queue<Long> latency) {
        HttpClient client = client(from);
        URI target = base.resolve("/api/officer/v1/sheets");
        long every = (long) (1e9 / sheetsPerAddressPerSecond), next = System.nanoTime();
        while (System.nanoTime() < end) {
            Submission s = sheets.poll();
            if (s == null) return;
            sent.incrementAndGet();
            long t0 = System.nanoTime();
            try {
                int status = client.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(s.body()))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 201 || status == 200) {
                    accepted.incrementAndGet();
                    latency.add((System.nanoTime() - t0) / 1000);
                }
            } catch (IOException e) {
                // not accepted
            } catch (InterruptedException e) {
                return;
            }
            next += every;
            pause(next);
        }
    }

    /** An abusive client: requests back to back on one connection, a new connection whenever one is closed. */
    private static void hammer(InetAddress from, URI base, long end, int id, AtomicLong requests, AtomicLong tooMany,
            AtomicLong closed) {
        String[] paths = {"/api/v1/election.json", "/api/v1/search?q=a" + id, "/", "/api/v1/regions/0.json"};
        int i = 0;
        while (System.nanoTime() < end) {
            try (Socket s = connect(from, base)) {
                OutputStream out = s.getOutputStream();
                InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                while (System.nanoTime() < end) {
                    out.write(("GET " + paths[i++ & 3] + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    RawHttp.Response r = RawHttp.read(in, false);
                    if (r == null) break;
                    int status = r.status();
                    requests.incrementAndGet();
                    if (status == 429) tooMany.incrementAndGet();
                }
                closed.incrementAndGet();
            } catch (IOException e) {
                closed.incrementAndGet();
            }
        }
    }

    /** A slowloris connection: a request line, then one header byte a second, never the blank line. */
    private static void trickle(InetAddress from, URI base, long end, AtomicLong cut) {
        while (System.nanoTime() < end) {
            try (Socket s = connect(from, base)) {
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\nX-A: ".getBytes(StandardCharsets.US_ASCII));
                while (System.nanoTime() < end) {
                    pause(System.nanoTime() + 1_000_000_000L); // the attack's own pace
                    out.write('a');
                    out.flush();
                    if (s.getInputStream().available() < 0) break;
                }
            } catch (IOException e) {
                cut.incrementAndGet(); // the server closed it (a write to a closed connection fails)
            }
        }
    }

    private static Socket connect(InetAddress from, URI base) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static HttpClient client(InetAddress from) {
        return HttpClient.newBuilder().localAddress(from).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** 127.0.{group}.{1 + id}: one client class per group, one client per address. */
    static InetAddress address(int group, int id) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (group + id / 250), (byte) (1 + id % 250)});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long untilNanos) {
        long wait = untilNanos - System.nanoTime();
        if (wait <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos(wait)); // pacing of a client, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long[] sorted(Queue<Long> q) {
        long[] a = q.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
