package org.rekap.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Sends prepared requests, one per sheet, over {@code connections} keep-alive connections, and records for every
 * request its acknowledgement time and the log sequence number in the answer. One thread drives every connection
 * through a selector (non-blocking writes and reads, no thread per connection to wake), and answers are parsed only
 * as far as status, length, {@code Connection: close} and {@code "seq"}: the machine's two cores are for the server.
 */
final class IngestClient {
    /** What happened to request i: {@code status[i]}, {@code seq[i]} (-1 if none), {@code ackNanos[i]}. */
    record Outcome(int[] status, long[] seq, long[] ackNanos) {
        /** The outcomes of two runs, one after the other, as of one. */
        static Outcome concat(Outcome a, Outcome b) {
            int n = a.status.length;
            Outcome o = new Outcome(Arrays.copyOf(a.status, n + b.status.length), Arrays.copyOf(a.seq, n + b.seq.length),
                    Arrays.copyOf(a.ackNanos, n + b.ackNanos.length));
            System.arraycopy(b.status, 0, o.status, n, b.status.length);
            System.arraycopy(b.seq, 0, o.seq, n, b.seq.length);
            System.arraycopy(b.ackNanos, 0, o.ackNanos, n, b.ackNanos.length);
            return o;
        }
    }

    /** How often one request is tried on a fresh connection before it counts as failed (status 599). */
    private static final int ATTEMPTS = 6;

    private final InetSocketAddress server;
    private final List<byte[]> requests;
    private final Outcome out;
    private final IntConsumer progress;
    private final Selector selector;
    private int next;
    private int pending;

    private IngestClient(URI base, List<byte[]> requests, IntConsumer progress) throws IOException {
        this.server = new InetSocketAddress(base.getHost(), base.getPort());
        this.requests = requests;
        int n = requests.size();
        this.out = new Outcome(new int[n], new long[n], new long[n]);
        this.progress = progress;
        this.selector = Selector.open();
    }

    static Outcome send(URI officerBase, List<byte[]> requests, int connections, IntConsumer progress) throws IOException {
        IngestClient c = new IngestClient(officerBase, requests, progress);
        try (Selector s = c.selector) {
            c.pending = Math.min(connections, requests.size());
            for (int i = 0; i < c.pending; i++) c.begin(new Connection(i), c.next++);
            long quietSince = System.nanoTime();
            while (c.pending > 0) {
                if (s.select(5_000) > 0) quietSince = System.nanoTime();
                else if (System.nanoTime() - quietSince > 120_000_000_000L)
                    throw new IOException("no answer for 120 s; " + c.pending + " connections still waiting");
                for (SelectionKey k : s.selectedKeys()) c.ready((Connection) k.attachment());
                s.selectedKeys().clear();
            }
        }
        return c.out;
    }

    /** The prepared bytes of {@code POST /api/officer/v1/sheets} with a JSON body. */
    static byte[] request(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /api/officer/v1/sheets HTTP/1.1\r\nHost: rekap\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** One connection: the request it carries, how far it is written, and the answer read so far. */
    private static final class Connection {
        final int number;
        SocketChannel channel;
        SelectionKey key;
        int request;
        int attempts;
        ByteBuffer write;
        final ByteBuffer read = ByteBuffer.allocate(16 * 1024);

        Connection(int number) {
            this.number = number;
        }
    }

    /** Starts request i on the connection. */
    private void begin(Connection c, int i) {
        c.request = i;
        c.attempts = 0;
        send(c);
    }

    /** Sends the connection's request, connecting first if it has no channel. */
    private void send(Connection c) {
        c.write = ByteBuffer.wrap(requests.get(c.request));
        c.read.clear();
        while (true) {
            try {
                if (c.channel == null) connect(c);
                c.channel.write(c.write);
                c.key.interestOps(c.write.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                return;
            } catch (IOException e) {
                if (!retry(c)) return;
                c.write.rewind();
            }
        }
    }

    private void ready(Connection c) {
        try {
            if (c.write.hasRemaining()) {
                c.channel.write(c.write);
                if (!c.write.hasRemaining()) c.key.interestOps(SelectionKey.OP_READ);
                return;
            }
            if (c.channel.read(c.read) < 0) throw new IOException("connection closed before an answer");
            int end = answered(c);
            if (end < 0) return;
            boolean close = header(c.read, end, "connection: close");
            progress.accept(1);
            if (close) drop(c);
            if (next < requests.size()) begin(c, next++);
            else {
                if (!close) drop(c);
                pending--;
            }
        } catch (IOException e) {
            if (retry(c)) send(c);
        }
    }

    /**
     * Records the answer when the buffer holds all of it: status, seq, time. Returns the end of its head, or -1 while
     * more is to come.
     */
    private int answered(Connection c) throws IOException {
        ByteBuffer b = c.read;
        byte[] a = b.array();
        int head = indexOf(a, b.position(), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (head < 0) {
            if (!b.hasRemaining()) throw new IOException("answer head beyond " + b.capacity() + " bytes");
            return -1;
        }
        int length = contentLength(a, head);
        if (b.position() < head + 4 + length) return -1;
        int i = c.request;
        out.ackNanos()[i] = System.nanoTime();
        out.status()[i] = (a[9] - '0') * 100 + (a[10] - '0') * 10 + (a[11] - '0');
        out.seq()[i] = seq(a, head + 4, head + 4 + length);
        return head;
    }

    /** Whether the head (up to {@code end}) has this header line, compared without case. */
    private static boolean header(ByteBuffer b, int end, String line) {
        String head = new String(b.array(), 0, end, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        return head.contains("\r\n" + line);
    }

    private static int contentLength(byte[] a, int end) throws IOException {
        String head = new String(a, 0, end, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        int k = head.indexOf("\r\ncontent-length:");
        if (k < 0) throw new IOException("an answer without Content-Length");
        int e = head.indexOf("\r\n", k + 2);
        return Integer.parseInt(head.substring(k + 17, e < 0 ? head.length() : e).trim());
    }

    private static long seq(byte[] a, int from, int to) {
        int k = indexOf(a, to, "\"seq\":".getBytes(StandardCharsets.US_ASCII), from);
        if (k < 0) return -1;
        long v = 0;
        int j = k + 6;
        if (j >= to || a[j] < '0' || a[j] > '9') return -1;
        for (; j < to && a[j] >= '0' && a[j] <= '9'; j++) v = v * 10 + (a[j] - '0');
        return v;
    }

    private static int indexOf(byte[] a, int limit, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= limit; i++) {
            for (int k = 0; k < what.length; k++) if (a[i + k] != what[k]) continue outer;
            return i;
        }
        return -1;
    }

    /** Drops the broken connection; true when the request should be tried again, false when it counts as failed. */
    private boolean retry(Connection c) {
        drop(c);
        if (++c.attempts < ATTEMPTS) return true;
        out.status()[c.request] = 599;
        progress.accept(1);
        if (next < requests.size()) begin(c, next++);
        else pending--;
        return false;
    }

    private static void drop(Connection c) {
        if (c.channel == null) return;
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // already broken
        }
        c.channel = null;
    }

    /**
     * Connection c comes from 127.0.5.(1 + c % 64): phones have addresses of their own, and the officer side caps
     * connections per address. The connect itself blocks (loopback: at once).
     */
    private void connect(Connection c) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 5, (byte) (1 + c.number % 64)}), 0));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(server, 5000);
            ch.configureBlocking(false);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        c.channel = ch;
    }
}
