package org.rekap.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.rekap.codec.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revokes an enrolled device on a running server: nothing it signs is accepted afterwards.",
            "The revocation is a public log entry with its reason."},
        footer = {"", "Examples:",
            "  rekap revoke --device 3f2a...c9 --reason \"phone reported stolen\"",
            "  rekap revoke --url https://rekap.example --token-file /secure/admin.token --device 3f2a...c9 --reason \"lost\""})
final class RevokeCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "server (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--token-file", defaultValue = "data/" + AdminToken.FILE, description = "administrator token (default: ${DEFAULT-VALUE})")
    Path tokenFile;

    @Option(names = "--device", required = true, description = "device id (32 hex digits)")
    String device;

    @Option(names = "--reason", required = true, description = "why, in words (public)")
    String reason;

    @Override
    public Integer call() throws Exception {
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        var body = Json.MAPPER.createObjectNode().put("device", device).put("reason", reason);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/api/admin/v1/revoke"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
            System.out.println("Revoked " + device + ": " + r.body());
            return 0;
        }
        System.err.println("rekap revoke: the server refused (" + r.statusCode() + "): " + r.body());
        return 1;
    }
}
