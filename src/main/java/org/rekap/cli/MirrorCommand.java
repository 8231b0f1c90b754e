package org.rekap.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rekap.ledger.NoteVerifier;
import org.rekap.web.MirrorServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = {
            "Runs a read-only mirror of a Rekap site that trusts it for nothing it can check.",
            "It polls the origin's checkpoint; on a new one it reads the whole site and",
            "verifies it as 'rekap verify' does (signature with the pinned key, consistency",
            "with the last verified checkpoint, every entry, tile and total) before serving",
            "any of it. When the origin is down or serves something that does not verify,",
            "the mirror keeps serving its last verified state and says so in",
            "/mirror/status.json, /metrics and its event log."},
        footer = {"", "Examples:",
            "  rekap mirror --from https://rekap.example/ --port 8090",
            "  rekap mirror --from http://origin:8080/ --port 8090 --data ./mirror \\",
            "      --key 'kpu.example/pemilu-2024+1a2b3c4d+AbC...='",
            "",
            "Without --key, the key the origin publishes is pinned at the first sync (with a",
            "warning): compare it with one from an independent source."})
final class MirrorCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "<url>", description = "the origin's base URL (http:// or https://)")
    String from;

    @Option(names = "--port", defaultValue = "8090", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--data", defaultValue = "mirror", description = "directory for the mirror's state: the last verified"
            + " checkpoint and the pinned key (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--key", paramLabel = "<verifier key>", description = "the origin log's verifier key to trust")
    String key;

    @Option(names = "--interval", defaultValue = "2000", description = "milliseconds between polls of the origin"
            + " (default: ${DEFAULT-VALUE})")
    long intervalMillis;

    @Override
    public Integer call() throws Exception {
        URI origin;
        try {
            origin = new URI(from.strip());
            if (origin.getScheme() == null || !origin.getScheme().matches("(?i)https?") || origin.getHost() == null)
                throw new java.net.URISyntaxException(from, "not an http:// or https:// URL with a host");
        } catch (java.net.URISyntaxException e) {
            System.err.println("rekap mirror: --from '" + from + "' is not an http:// or https:// URL with a host; give the"
                    + " origin's base URL such as http://origin.example:8080/");
            return 2;
        }
        if (key != null) {
            try {
                NoteVerifier.parse(key.strip());
            } catch (IllegalArgumentException e) {
                System.err.println("rekap mirror: --key: " + e.getMessage() + "; give the verifier key the origin publishes");
                return 2;
            }
        }
        Files.createDirectories(data);
        MirrorServer server = MirrorServer.start(new MirrorServer.Config(origin, host, port,
                data.resolve("verify-state.json"), key == null ? null : key.strip(), Duration.ofMillis(Math.max(200, intervalMillis))));
        System.err.println("Rekap mirror of " + origin + " on http://localhost:" + server.port()
                + "/  (status: /mirror/status.json; Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
