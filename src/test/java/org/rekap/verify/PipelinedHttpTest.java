package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PipelinedHttp} against a plain HTTP/1.1 peer on loopback that answers in the ways a server or proxy may:
 * lengths and chunks, several requests in flight on one connection, a connection closed after an answer or in the
 * middle of one.
 */
class PipelinedHttpTest {
    /** Answers each request line ("GET /x HTTP/1.1") with raw bytes; closes the connection after a null answer. */
    private final class Peer implements AutoCloseable {
        final ServerSocket server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final Function<String, String> answer;

        Peer(Function<String, String> answer) throws IOException {
            this.answer = answer;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void serve(Socket s) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))) {
                OutputStream out = s.getOutputStream();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) continue;
                    while (!in.readLine().isEmpty()) { } // headers
                    requests.add(line);
                    String a = answer.apply(line.split(" ")[1]);
                    if (a == null) return;
                    out.write(a.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (a.contains("Connection: close")) return;
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        PipelinedHttp client(int connections) {
            return new PipelinedHttp("127.0.0.1", server.getLocalPort(), "/base/", connections, Duration.ofSeconds(5),
                    Duration.ofSeconds(10));
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    private Peer peer(Function<String, String> answer) throws IOException {
        Peer p = new Peer(answer);
        open.add(p);
        return p;
    }

    private static String ok(String body, String... headers) {
        return "HTTP/1.1 200 OK\r\n" + String.join("", headers) + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void manyRequestsInFlightOnOneConnectionGetTheirOwnAnswers() throws Exception {
        Peer p = peer(path -> path.endsWith("chunked")
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Rekap-Log-Size: 42\r\n\r\n"
                        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n"
                : ok("body of " + path, "Content-Encoding: identity\r\n"));
        PipelinedHttp client = p.client(1);
        open.add(client);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PipelinedHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String path = i % 10 == 0 ? "doc" + i + "/chunked" : "doc" + i;
                answers.add(pool.submit(() -> client.get(path)));
            }
            for (int i = 0; i < 200; i++) {
                PipelinedHttp.Answer a = answers.get(i).get();
                assertThat(a.status()).isEqualTo(200);
                if (i % 10 == 0) {
                    assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
                    assertThat(a.logSize()).isEqualTo("42");
                } else {
                    assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("body of /base/doc" + i);
                    assertThat(a.contentEncoding()).isEqualTo("identity");
                }
            }
        }
        assertThat(p.connections.get()).isEqualTo(1);
        assertThat(p.requests).hasSize(200).allMatch(l -> l.startsWith("GET /base/doc") && l.endsWith(" HTTP/1.1"));
    }

    @Test
    void aConnectionTheServerClosesAfterAnAnswerIsOpenedAgain() throws Exception {
        Peer p = peer(path -> "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 4\r\n\r\nnone");
        PipelinedHttp client = p.client(1);
        open.add(client);
        for (int i = 0; i < 3; i++) {
            PipelinedHttp.Answer a = client.get("x" + i);
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.close()).isTrue();
            assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("none");
        }
        assertThat(p.connections.get()).isEqualTo(3);
    }

    @Test
    void aConnectionClosedInTheMiddleOfAnAnswerFailsTheRequest() throws Exception {
        Peer p = peer(path -> path.endsWith("cut") ? null : ok("fine"));
        PipelinedHttp client = p.client(1);
        open.add(client);
        assertThat(client.get("a").body()).asString(StandardCharsets.UTF_8).isEqualTo("fine");
        assertThatThrownBy(() -> client.get("cut")).isInstanceOf(IOException.class);
        // The next request opens a new connection.
        assertThat(client.get("b").body()).asString(StandardCharsets.UTF_8).isEqualTo("fine");
        assertThat(p.connections.get()).isEqualTo(2);
    }

    @Test
    void anAnswerThatIsNotHttpIsRefused() throws Exception {
        Peer p = peer(path -> "SSH-2.0-OpenSSH\r\n\r\n");
        PipelinedHttp client = p.client(1);
        open.add(client);
        assertThatThrownBy(() -> client.get("a")).isInstanceOf(IOException.class).hasMessageContaining("not an HTTP");
    }
}
