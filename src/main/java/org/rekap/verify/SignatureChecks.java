package org.rekap.verify;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.rekap.codec.SignedPayloads;
import org.rekap.ledger.Entry;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.officer.DeviceKeys;
import org.rekap.verify.Finding.Check;

/**
 * The device signatures of the log, checked on every core in the background while the rest of the verification goes
 * on (they are the largest part of its work, and nothing else depends on them). The replay only decides which key
 * each entry must be signed by; the signed bytes are built and checked here. {@link #finish} waits for them all and
 * reports the failures in log order.
 */
final class SignatureChecks implements AutoCloseable {
    private static final int BATCH = 512;

    /** An entry to check against the key of the device the log had enrolled when it was appended. */
    private record Check1(long seq, String bundle, Entry entry, byte[] publicKey) {}

    private final ExecutorService pool;
    /** Enrolled keys already decoded and validated (in the fetching threads): a check then skips decoding the key. */
    private final Map<ByteBuffer, Ed25519.PublicPoint> points = new ConcurrentHashMap<>();
    private final ArrayDeque<Future<List<Finding>>> batches = new ArrayDeque<>();
    private final ArrayDeque<Integer> batchSizes = new ArrayDeque<>();
    private final List<Finding> failures = new ArrayList<>();
    private List<Check1> batch = new ArrayList<>(BATCH);
    private long submitted;
    /** When the first check was queued ({@link System#nanoTime}): the checks run beside the other phases. */
    private long started;

    SignatureChecks(int threads) {
        pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("signatures-", 0).factory());
    }

    /** Remembers a key that {@code Ed25519.validatePublicKeyFullExport} accepted, as that decoded point. */
    void validKey(byte[] publicKey, Ed25519.PublicPoint point) {
        points.put(ByteBuffer.wrap(publicKey), point);
    }

    /** Queues a sheet's or review decision's signature; other entries carry none. */
    void add(long seq, String bundle, Entry entry, byte[] publicKey) {
        if (submitted++ == 0) started = System.nanoTime();
        batch.add(new Check1(seq, bundle, entry, publicKey));
        if (batch.size() == BATCH) flush();
        // Keep the finished batches from piling up: their findings are kept in order as they complete.
        while (!batches.isEmpty() && batches.peekFirst().isDone()) takeFirst();
    }

    /**
     * Waits for every queued check, showing how many are left when there are any; returns the failures (in log order).
     */
    List<Finding> finish(ProgressListener listener) {
        flush();
        if (!batches.isEmpty()) {
            long left = batchSizes.stream().mapToLong(Integer::longValue).sum();
            listener.begin("device signatures checked (beside the other checks)", submitted, started);
            listener.advance(submitted - left);
            while (!batches.isEmpty()) listener.advance(takeFirst());
            listener.end();
        }
        List<Finding> out = List.copyOf(failures);
        failures.clear();
        return out;
    }

    /** Waits for the oldest batch and keeps its failures; returns its size. */
    private int takeFirst() {
        failures.addAll(join(batches.pollFirst()));
        return batchSizes.pollFirst();
    }

    long checked() {
        return submitted;
    }

    private void flush() {
        if (batch.isEmpty()) return;
        List<Check1> b = batch;
        batch = new ArrayList<>(BATCH);
        batchSizes.addLast(b.size());
        batches.addLast(pool.submit(() -> {
            List<Finding> bad = new ArrayList<>();
            for (Check1 c : b) {
                Finding f = check(c);
                if (f != null) bad.add(f);
            }
            return bad;
        }));
    }

    private boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Ed25519.PublicPoint point = points.get(ByteBuffer.wrap(publicKey));
        if (point == null || signature.length != DeviceKeys.SIGNATURE_BYTES)
            return DeviceKeys.verify(publicKey, message, signature);
        try {
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Finding check(Check1 c) {
        return switch (c.entry()) {
            case SheetSubmitted s -> verify(c.publicKey(), SignedPayloads.sheet(s.submissionId(), s.sheet()),
                    s.signature()) ? null : Finding.of(Check.ENTRY, "the sheet's signature is not device " + s.device()
                            + "'s signature of it").path(c.bundle()).seq(c.seq()).region(s.sheet().tps())
                    .contest(s.sheet().contest()).field("signature").build();
            case ReviewDecided r -> verify(c.publicKey(), SignedPayloads.review(r.decisionId(), r.tps(),
                    r.contest(), r.sheetSeq(), r.verdict().id(), r.corrected(), r.reason()), r.signature()) ? null
                    : Finding.of(Check.ENTRY, "the review decision's signature is not reviewer " + r.reviewer()
                            + "'s signature of it").path(c.bundle()).seq(c.seq()).region(r.tps()).contest(r.contest())
                    .field("signature").build();
            default -> throw new IllegalArgumentException("a " + c.entry().type() + " entry carries no signature");
        };
    }

    private static List<Finding> join(Future<List<Finding>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking signatures", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
