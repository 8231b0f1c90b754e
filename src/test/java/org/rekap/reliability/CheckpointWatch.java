package org.rekap.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.NoteException;
import org.rekap.ledger.NoteVerifier;

/**
 * Fetches the signed checkpoint every few milliseconds while the server runs, as a monitor or a reader's browser
 * would, and keeps each new one. A checkpoint seen once is a promise: every later one must extend it.
 */
final class CheckpointWatch {
    /** A checkpoint as fetched: which trial saw it, its verified body, and the signed note. */
    record Seen(int trial, Checkpoint checkpoint, byte[] note) {}

    private final HttpClient http;
    private final HttpRequest request;
    private final NoteVerifier verifier;
    private final String origin;
    private final int trial;
    final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    final Queue<String> badNotes = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;
    private Thread thread;

    CheckpointWatch(HttpClient http, URI publicBase, NoteVerifier verifier, String origin, int trial) {
        this.http = http;
        this.request = HttpRequest.newBuilder(publicBase.resolve("checkpoint")).timeout(Duration.ofSeconds(10)).build();
        this.verifier = verifier;
        this.origin = origin;
        this.trial = trial;
    }

    void start(Duration every) {
        thread = Thread.ofVirtual().name("checkpoint-watch").start(() -> {
            Checkpoint last = null;
            while (!stop) {
                last = fetch(last);
                try {
                    Thread.sleep(every); // the poll interval of a monitor, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Fetches once; records the checkpoint if it differs from {@code last}. Returns the latest one known. */
    Checkpoint fetch(Checkpoint last) {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return last; // the server is gone (killed): nothing more to see
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
        if (r.statusCode() != 200) return last;
        try {
            Checkpoint c = Checkpoints.open(r.body(), verifier, origin);
            if (last == null || c.size() != last.size() || !Arrays.equals(c.rootHash(), last.rootHash()))
                seen.add(new Seen(trial, c, r.body()));
            return c;
        } catch (NoteException e) {
            badNotes.add("trial " + trial + ": " + e.getMessage());
            return last;
        }
    }

    /** Stops polling and returns everything seen, in the order seen. */
    List<Seen> stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(30));
        }
        return List.copyOf(seen);
    }
}
