package org.rekap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rekap.ledger.NoteSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Makes the log's Ed25519 signing key (C2SP signed-note format) and prints its verifier key.",
            "The origin names the election in every checkpoint; publish the verifier key so anyone can check them."},
        footer = {"", "Examples:",
            "  rekap keygen --origin kpu.example/pemilu-2024 --out data/log.key",
            "  rekap serve --data data            (uses data/log.key)"})
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--origin", required = true, description = "the log's origin line, e.g. kpu.example/pemilu-2024")
    String origin;

    @Option(names = "--out", defaultValue = "data/" + LogKeys.FILE, description = "where to write the private key (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        NoteSigner signer = LogKeys.create(out, origin);
        System.err.println("Wrote the private key to " + out.toAbsolutePath() + " (keep it secret; back it up).");
        System.out.println(signer.verifier().verifierKey());
        return 0;
    }
}
