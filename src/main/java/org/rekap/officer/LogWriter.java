package org.rekap.officer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rekap.codec.EntryCodec;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.sheet.FieldError;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.Entry;
import org.rekap.ledger.StoredHash;
import org.rekap.store.ElectionStore;

/**
 * The single writer of the log, with group commit: one thread takes every waiting entry (sheets, enrolments,
 * revocations, review decisions), decides each in order, appends the accepted ones in one durable transaction, and
 * only then answers them. Many concurrent officers share one fsync.
 *
 * <p>State is updated before the commit so that later submissions in the same batch see earlier ones; the tally's
 * monitor is held across the commit so no reader sees numbers that are not yet durable. If a commit fails, the
 * in-memory state is ahead of the log: the writer stops accepting (fail-stop) and a restart rebuilds from the log.
 */
public final class LogWriter implements AutoCloseable {
    /** Outcome of one submission: a receipt (new or repeated), or a refusal. */
    public record Outcome(Receipt receipt, boolean repeated, Decision.Refuse refusal) {}

    /** An entry waiting for the writer, encoded and hashed already by the thread that submitted it. */
    private record Pending(Entry entry, byte[] bytes, byte[] leaf, CompletableFuture<Outcome> result) {}

    private static final int MAX_BATCH = 2048;
    private final ElectionStore store;
    private final Intake intake;
    private final InMemoryHashStore hashes;
    private volatile MerkleTree tree;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    /** @param tree the Merkle tree over the log as it is now (its hashes in {@code hashes}) */
    public LogWriter(ElectionStore store, Intake intake, InMemoryHashStore hashes, MerkleTree tree) {
        this.store = store;
        this.intake = intake;
        this.hashes = hashes;
        this.tree = tree;
        this.thread = Thread.ofPlatform().name("rekap-log-writer").daemon().start(this::loop);
    }

    public CompletableFuture<Outcome> submit(Entry entry) {
        byte[] encoded;
        try {
            encoded = EntryCodec.encode(entry);
        } catch (IllegalArgumentException e) { // e.g. a lone surrogate in a text: it has no canonical bytes
            return CompletableFuture.completedFuture(new Outcome(null, false, new Decision.Refuse(422,
                    List.of(new FieldError("body", "unencodable", e.getMessage())))));
        }
        return submit(entry, encoded);
    }

    /**
     * Queues an entry whose canonical bytes the caller has made already ({@code EntryCodec.encode(entry)}). Encoding
     * and hashing happen on the submitting threads, in parallel, so the writer's one thread (which holds the tally's
     * monitor) only decides, applies and appends.
     */
    public CompletableFuture<Outcome> submit(Entry entry, byte[] encoded) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        if (failure != null) f.completeExceptionally(new IllegalStateException(failure));
        else if (!running) f.completeExceptionally(new IllegalStateException("the server is shutting down"));
        else queue.add(new Pending(entry, encoded, MerkleHash.leaf(encoded), f));
        return f;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) p.result.completeExceptionally(new IllegalStateException("the server stopped"));
    }

    private void commit(List<Pending> batch) {
        if (failure != null) {
            batch.forEach(p -> p.result.completeExceptionally(new IllegalStateException(failure)));
            return;
        }
        Outcome[] outcomes = new Outcome[batch.size()];
        synchronized (intake.tally()) {
            long base = store.logSize();
            List<byte[]> bytes = new ArrayList<>(batch.size());
            List<byte[]> leaves = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                Decision d = intake.decide(p.entry);
                outcomes[i] = switch (d) {
                    case Decision.Accept a -> {
                        // A tlog-tiles entry bundle frames each entry with a 16-bit length.
                        if (p.bytes.length > EntryBundle.MAX_ENTRY_BYTES)
                            yield new Outcome(null, false, new Decision.Refuse(422, List.of(new FieldError("body", "too_large",
                                    "the entry encodes to " + p.bytes.length + " bytes; a log entry holds at most "
                                            + EntryBundle.MAX_ENTRY_BYTES))));
                        bytes.add(p.bytes);
                        leaves.add(p.leaf);
                        yield new Outcome(intake.apply(base + bytes.size() - 1, p.entry), false, null);
                    }
                    case Decision.Repeat r -> new Outcome(r.receipt(), true, null);
                    case Decision.Refuse r -> new Outcome(null, false, r);
                };
            }
            if (!bytes.isEmpty()) {
                try {
                    List<StoredHash> added = tree.hashesToAppend(leaves);
                    long first = store.append(bytes, added);
                    if (first != base) throw new IllegalStateException("log position moved from " + base + " to " + first);
                    hashes.putAll(added);
                    tree = tree.withSize(base + bytes.size());
                } catch (RuntimeException e) {
                    failure = "the log could not be written (" + e.getMessage() + "); restart the server";
                    batch.forEach(p -> p.result.completeExceptionally(new IllegalStateException(failure)));
                    return;
                }
                intake.tally().advanceTo(base + bytes.size());
            }
        }
        for (int i = 0; i < batch.size(); i++) batch.get(i).result.complete(outcomes[i]);
    }

    /** The Merkle tree over every committed entry. */
    public MerkleTree tree() {
        return tree;
    }

    /** Stops accepting entries for good, saying why (a check found the stored log altered). */
    public void halt(String why) {
        failure = why;
    }

    /** Null while healthy; otherwise why writes stopped. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
