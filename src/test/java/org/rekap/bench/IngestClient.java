package org.rekap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.rekap.reliability.RawHttp;

/**
 * Sends prepared requests, one per sheet, over {@code connections} keep-alive connections (one virtual thread each),
 * and records for every request its acknowledgement time and the log sequence number in the answer. Deliberately
 * thin (prepared bytes, a minimal response parser) so that the machine's two cores go to the server.
 */
final class IngestClient {
    /** What happened to request i: {@code status[i]}, {@code seq[i]} (-1 if none), {@code ackNanos[i]}. */
    record Outcome(int[] status, long[] seq, long[] ackNanos) {}

    static Outcome send(URI officerBase, List<byte[]> requests, int connections, IntConsumer progress)
            throws InterruptedException {
        int n = requests.size();
        Outcome out = new Outcome(new int[n], new long[n], new long[n]);
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int conn = c;
            threads[c] = Thread.ofVirtual().start(() -> {
                int i;
                Socket s = null;
                InputStream in = null;
                while ((i = next.getAndIncrement()) < n) {
                    for (int attempt = 0; ; attempt++) {
                        try {
                            if (s == null) {
                                s = connect(officerBase, conn);
                                in = new java.io.BufferedInputStream(s.getInputStream(), 4096);
                            }
                            OutputStream o = s.getOutputStream();
                            o.write(requests.get(i));
                            o.flush();
                            if (answer(in, out, i)) break;
                            s.close();
                            s = null;
                        } catch (IOException e) {
                            if (s != null) try { s.close(); } catch (IOException ignored) { /* already broken */ }
                            s = null;
                            if (attempt >= 5) {
                                out.status()[i] = 599;
                                break;
                            }
                        }
                    }
                    progress.accept(1);
                }
                if (s != null) try { s.close(); } catch (IOException ignored) { /* done */ }
            });
        }
        for (Thread t : threads) t.join();
        return out;
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

    /** Reads one response; records status, seq and time; false when the connection must be replaced. */
    private static boolean answer(InputStream in, Outcome out, int i) throws IOException {
        RawHttp.Response r = RawHttp.read(in, false);
        if (r == null) throw new IOException("connection closed before an answer");
        out.ackNanos()[i] = System.nanoTime();
        out.status()[i] = r.status();
        out.seq()[i] = seq(r.body());
        return !"close".equalsIgnoreCase(r.header("connection"));
    }

    private static long seq(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int k = s.indexOf("\"seq\":");
        if (k < 0) return -1;
        int j = k + 6, e = j;
        while (e < s.length() && Character.isDigit(s.charAt(e))) e++;
        return e > j ? Long.parseLong(s.substring(j, e)) : -1;
    }

    /**
     * Connection c comes from 127.0.5.(1 + c % 64): phones have addresses of their own, and the officer side caps
     * connections per address.
     */
    private static Socket connect(URI base, int c) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 5, (byte) (1 + c % 64)}), 0));
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        s.setSoTimeout(120_000);
        s.setTcpNoDelay(true);
        return s;
    }
}
