package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real nginx binary (Debian's nginx-light, installed by .ci/run) serving a directory with the sample configuration
 * deploy/nginx/rekap-static.conf, of which only {@code listen} (an ephemeral loopback port) and {@code root} are
 * replaced. Everything it writes (pid, logs, temp files) stays under its own prefix; it runs in the foreground as a
 * child of the test and is stopped by {@link #close}. A missing nginx fails the test, it never skips it.
 */
final class Nginx implements AutoCloseable {
    static final Path EXECUTABLE = Path.of(System.getProperty("rekap.nginx", "/usr/sbin/nginx"));
    static final Path SAMPLE = Path.of("deploy/nginx/rekap-static.conf");
    private final Process process;
    private final Path prefix;
    final int port;

    private Nginx(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    static Nginx serve(Path root, Path prefix) throws Exception {
        assertThat(Files.isExecutable(EXECUTABLE))
                .withFailMessage("no nginx at %s: this test needs the real server (apt-get install nginx-light)", EXECUTABLE)
                .isTrue();
        String sample = Files.readString(SAMPLE, StandardCharsets.UTF_8);
        assertThat(sample).contains("    listen 8080;\n", "    root /srv/rekap/site;\n");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path dir = Files.createDirectories(prefix.resolve("nginx-" + attempt));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("rekap-static.conf"), sample
                    .replace("    listen 8080;\n", "    listen 127.0.0.1:" + port + ";\n")
                    .replace("    root /srv/rekap/site;\n", "    root " + root.toAbsolutePath() + ";\n"));
            String tmp = dir.resolve("tmp").toString();
            // Workers started by root would switch to 'nobody', who cannot read the test's temp directory.
            String user = System.getProperty("user.name").equals("root") ? "user root root;\n" : "";
            Files.writeString(dir.resolve("nginx.conf"), user + """
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 256; }
                    http {
                        access_log off;
                        sendfile on;
                        client_body_temp_path %2$s/body;
                        proxy_temp_path %2$s/proxy;
                        fastcgi_temp_path %2$s/fastcgi;
                        uwsgi_temp_path %2$s/uwsgi;
                        scgi_temp_path %2$s/scgi;
                        include %1$s/rekap-static.conf;
                    }
                    """.formatted(dir, tmp));
            Process p = new ProcessBuilder(EXECUTABLE.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                    "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Nginx n = new Nginx(p, dir, port);
            if (n.awaitListening(Duration.ofSeconds(20))) return n;
            n.close();
            String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
            // Another process may take the port between picking and binding it: try another one.
            assertThat(attempt < 3 && log.contains("Address already in use")).as("nginx did not start:\n" + log).isTrue();
        }
    }

    private boolean awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) return false;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if nginx exits
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    String errorLog() throws IOException {
        Path log = prefix.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's master stops its workers and exits
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
