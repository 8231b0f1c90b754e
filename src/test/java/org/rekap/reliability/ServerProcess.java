package org.rekap.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rekap serve} in an operating-system process of its own, so that it can be killed the way a power cut or the
 * kernel's OOM killer would: SIGKILL, no shutdown hook, no flush. Its output goes to files (the event log writes a
 * line per sheet; a pipe nobody reads would stall the server).
 */
public final class ServerProcess {
    /** What {@code rekap serve} prints on stderr once it listens: both sides' addresses. */
    private static final Pattern SERVING = Pattern.compile("public http://localhost:(\\d+)/, officers http://localhost:(\\d+)/");
    /** A JVM killed by signal 9 exits with 128 + 9. */
    static final int KILLED = 137;

    private final Process process;
    private final Path stderr;
    private final URI publicBase;
    private final URI officerBase;
    private final Duration startTime;

    private ServerProcess(Process process, Path stderr, URI publicBase, URI officerBase, Duration startTime) {
        this.process = process;
        this.stderr = stderr;
        this.publicBase = publicBase;
        this.officerBase = officerBase;
        this.startTime = startTime;
    }

    /**
     * Starts {@code java -cp <classpath> org.rekap.cli.Main serve --data <dir> --port 0} on loopback and waits (at most
     * {@code timeout}) until it prints its address and answers {@code /api/v1/election.json}.
     *
     * @param logPrefix where its stdout and stderr go ({@code <prefix>.out}, {@code <prefix>.err})
     */
    static ServerProcess start(Path dataDir, Path logPrefix, Duration publishInterval, Duration timeout)
            throws IOException, InterruptedException {
        // The harness's officers and probes all come from 127.0.0.1, standing for many phones: no per-address rates.
        return start(dataDir, logPrefix, publishInterval, timeout, List.of("--public-rate", "0", "--officer-rate", "0"));
    }

    /** The same with more {@code serve} options (e.g. {@code --db URL}, rate limits). */
    public static ServerProcess start(Path dataDir, Path logPrefix, Duration publishInterval, Duration timeout,
            List<String> options) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path out = logPrefix.resolveSibling(logPrefix.getFileName() + ".out");
        Path err = logPrefix.resolveSibling(logPrefix.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"),
                "org.rekap.cli.Main", "serve", "--data", dataDir.toString(), "--host", "127.0.0.1", "--port", "0",
                "--officer-port", "0", "--publish-interval", Long.toString(publishInterval.toMillis())));
        command.addAll(options);
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // If the harness itself is stopped (Ctrl-C), the server must not outlive it.
        Thread reaper = new Thread(p::destroyForcibly, "rekap-serve-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        p.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: nothing to remove
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        int port = -1, officerPort = -1;
        while (port < 0) {
            if (!p.isAlive())
                throw new IOException("rekap serve exited with " + p.exitValue() + " before listening: " + tail(err));
            Matcher m = SERVING.matcher(Files.readString(err, StandardCharsets.UTF_8));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                officerPort = Integer.parseInt(m.group(2));
            }
            else if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new IOException("rekap serve did not listen within " + timeout.toSeconds() + " s: " + tail(err));
            } else Thread.sleep(20); // polling a file for a condition, bounded by the deadline
        }
        ServerProcess server = new ServerProcess(p, err, URI.create("http://127.0.0.1:" + port + "/"),
                URI.create("http://127.0.0.1:" + officerPort + "/"), Duration.ofNanos(System.nanoTime() - t0));
        server.awaitAnswer(deadline);
        return server;
    }

    private void awaitAnswer(long deadline) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(publicBase.resolve("api/v1/election.json"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // listening but not answering yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly().waitFor();
                throw new IOException("rekap serve never answered /api/v1/election.json: " + tail(stderr));
            }
            Thread.sleep(20);
        }
    }

    /**
     * Heap in use after a full collection, in bytes, from {@code jcmd <pid> GC.run} then {@code GC.heap_info} (the
     * JDK's own tools, beside the java that runs this).
     */
    public long heapUsedAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        long used = 0;
        Matcher m = Pattern.compile("(?m)^\\s*(?:PSYoungGen|ParOldGen|garbage-first heap|def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K")
                .matcher(jcmd("GC.heap_info"));
        while (m.find()) used += Long.parseLong(m.group(1)) * 1024;
        return used;
    }

    private String jcmd(String what) throws IOException, InterruptedException {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), what).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (j.waitFor() != 0) throw new IOException("jcmd " + what + " failed: " + out);
        return out;
    }

    public URI publicBase() {
        return publicBase;
    }

    public URI officerBase() {
        return officerBase;
    }

    public Duration startTime() {
        return startTime;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then the exit status (137 when the signal, not the program, ended it). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL");
        return process.exitValue();
    }

    /** SIGTERM (the shutdown hook closes the store), SIGKILL if it is still running after 30 s. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) return kill();
        return process.exitValue();
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "(nothing on stderr)" : s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
