package org.rekap.verify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small HTTP/1.1 client for plain {@code http://} sites: GET requests over a few keep-alive connections, several
 * in flight on each (pipelined: answers come back in order). A verification asks for hundreds of thousands of small
 * documents; the JDK's client spends more CPU per request than the server does to answer it, this one a few
 * microseconds. Anything it does not handle (a broken connection, a redirect) the caller retries or hands to the
 * JDK's client.
 */
final class PipelinedHttp implements AutoCloseable {
    /** An answer: the status, the headers the verifier reads (lower-case names), and the body as sent. */
    record Answer(int status, String contentEncoding, String logSize, String location, String retryAfter, byte[] body,
            boolean close) {}

    private final String host;
    private final int port;
    private final String hostHeader;
    private final String basePath;
    private final String acceptEncoding;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Connection[] connections;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param basePath the path prefix of every request (ends with a slash)
     * @param connections how many connections to spread requests over
     */
    PipelinedHttp(String host, int port, String basePath, int connections, Duration connectTimeout,
            Duration requestTimeout) {
        this.host = host;
        this.port = port;
        this.hostHeader = port == 80 ? host : host + ":" + port;
        this.basePath = basePath;
        // On the same machine compression saves no time, and costs CPU on both sides (the server compresses downloads
        // as it streams them).
        this.acceptEncoding = loopback(host) ? "identity" : "gzip";
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.connections = new Connection[connections];
        for (int i = 0; i < connections; i++) this.connections[i] = new Connection();
    }

    /**
     * GETs a path (relative to the base path, with its query if any).
     *
     * @throws IOException when the connection fails or the answer is not HTTP/1.1 as expected
     * @throws TimeoutException when no answer came in time
     */
    Answer get(String path) throws IOException, TimeoutException, InterruptedException {
        Connection c = connections[Math.floorMod(next.getAndIncrement(), connections.length)];
        CompletableFuture<Answer> answer = c.send(request(path));
        try {
            return answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            c.fail(new IOException("no answer in time"));
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
    }

    private byte[] request(String path) {
        return ("GET " + basePath + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nAccept-Encoding: " + acceptEncoding + "\r\nUser-Agent: rekap-verify\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) c.fail(new IOException("closed"));
    }

    /**
     * One keep-alive connection: requests are written in the order they are sent, and a reader matches each answer
     * with the oldest request still waiting. A failure fails every request waiting on it; the next request opens a
     * new connection.
     */
    private final class Connection {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<CompletableFuture<Answer>> waiting = new ArrayDeque<>();
        private Socket socket;
        private OutputStream out;

        CompletableFuture<Answer> send(byte[] request) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            lock.lock();
            try {
                if (socket == null) open();
                waiting.addLast(answer);
                out.write(request);
                out.flush();
            } catch (IOException e) {
                answer.completeExceptionally(e);
                failLocked(e);
            } finally {
                lock.unlock();
            }
            return answer;
        }

        private void open() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            // A reader waits at most this long for bytes; then an idle connection is closed (none lingers after a run).
            s.setSoTimeout((int) requestTimeout.toMillis());
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 8192);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            Thread.ofVirtual().name("http-reader").start(() -> read(s, in));
        }

        private void read(Socket s, InputStream in) {
            try {
                while (true) {
                    Answer a = readAnswer(in);
                    lock.lock();
                    try {
                        if (socket != s) return;
                        if (a == null) {
                            // The server closed the connection: harmless when nothing was waiting (an idle timeout).
                            failLocked(new IOException("the server closed the connection"));
                            return;
                        }
                        CompletableFuture<Answer> f = waiting.pollFirst();
                        if (f == null) throw new IOException("an answer came to no request");
                        f.complete(a);
                        if (a.close()) {
                            failLocked(new IOException("the server closed the connection"));
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (IOException e) {
                lock.lock();
                try {
                    if (socket == s) failLocked(e);
                } finally {
                    lock.unlock();
                }
            }
        }

        void fail(IOException e) {
            lock.lock();
            try {
                failLocked(e);
            } finally {
                lock.unlock();
            }
        }

        private void failLocked(IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a broken socket
                }
            }
            socket = null;
            out = null;
            for (CompletableFuture<Answer> f : waiting) f.completeExceptionally(e);
            waiting.clear();
        }
    }

    /** Reads one answer; null at a clean end of stream before it starts. */
    static Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) return null;
        if (!status.startsWith("HTTP/1.") || status.length() < 12)
            throw new IOException("not an HTTP/1.x answer: " + status);
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: " + status);
        }
        long length = -1;
        boolean chunked = false, close = status.startsWith("HTTP/1.0");
        String encoding = null, logSize = null, location = null, retryAfter = null;
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new IOException("not an HTTP header: " + h);
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("Content-Length is not a number: " + value);
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-encoding" -> encoding = value;
                case "x-rekap-log-size" -> logSize = value;
                case "location" -> location = value;
                case "retry-after" -> retryAfter = value;
                case "connection" -> close |= value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (code == 204 || code == 304 || (code >= 100 && code < 200)) body = new byte[0];
        else if (chunked) body = chunks(in);
        else if (length >= 0) body = exactly(in, length);
        else if (close) body = in.readAllBytes();
        else throw new IOException("an answer with neither a length nor chunks on a kept-alive connection");
        return new Answer(code, encoding, logSize, location, retryAfter, body, close);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + size);
            }
            if (n == 0) {
                while (!line(in).isEmpty()) { } // trailers
                return out.toByteArray();
            }
            out.write(exactly(in, n));
            if (!line(in).isEmpty()) throw new IOException("a chunk does not end where its size says");
        }
    }

    private static byte[] exactly(InputStream in, long n) throws IOException {
        if (n > Integer.MAX_VALUE - 16) throw new IOException("an answer of " + n + " bytes is too large");
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) throw new EOFException("the connection ended inside an answer");
        return b;
    }

    /** A header line without its CRLF; null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            if (sb.length() > 16_384) throw new IOException("a header line longer than 16 KiB");
            sb.append((char) b);
        }
        if (sb.isEmpty()) return null;
        throw new EOFException("the connection ended inside a header");
    }
}
