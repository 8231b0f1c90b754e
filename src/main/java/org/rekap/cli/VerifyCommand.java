package org.rekap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rekap.ledger.NoteVerifier;
import org.rekap.verify.ProgressListener;
import org.rekap.verify.Report;
import org.rekap.verify.Source;
import org.rekap.verify.SourceException;
import org.rekap.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Independently checks a Rekap site, live or a static copy.",
            "It uses the site's public files alone: the signed",
            "checkpoint, every log entry and device signature, the Merkle tree and its",
            "tiles, and every published total (replaying the log as the server does).",
            "Remembers the last checkpoint it verified and proves the next one consistent.",
            "Exit status: 0 when everything holds; 1 when anything does not (one line per",
            "finding: what, where, expected, found; then a summary); 2 when the site",
            "cannot be read."},
        footer = {"", "Examples:",
            "  rekap verify http://localhost:8080/",
            "  rekap verify ./mirror --full --state ./verify-state.json",
            "  rekap verify http://localhost:8080/ --max-findings 1000 > report.txt",
            "  rekap verify https://rekap.example/ \\",
            "      --key 'kpu.example/pemilu-2024+1a2b3c4d+AbC...='",
            "",
            "Without --key, the key remembered from an earlier run is used; on the first",
            "run, the key the site publishes is trusted (first use) with a warning:",
            "compare it with one from an independent source."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<url or directory>", description = "the site's base URL (http:// or https://), or a"
            + " directory holding a copy of it (checkpoint, tile/, api/)")
    String target;

    @Option(names = "--key", paramLabel = "<verifier key>", description = "the log's verifier key"
            + " (<name>+<8 hex>+<base64>) to trust, instead of the remembered or published one")
    String key;

    @Option(names = "--state", paramLabel = "<file>", description = "where to remember the last verified checkpoint"
            + " (default: ~/.rekap/verify-<origin>.json)")
    Path state;

    @Option(names = "--full", description = "compare the downloads of every region, not only the top "
            + "two levels below the root")
    boolean full;

    @Option(names = "--max-findings", paramLabel = "<n>", defaultValue = "100",
            description = "print at most this many findings (all are counted; default: ${DEFAULT-VALUE})")
    int maxFindings;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (key != null) {
            try {
                NoteVerifier.parse(key.strip());
            } catch (IllegalArgumentException e) {
                err.println("rekap verify: --key: " + e.getMessage() + "; give the verifier key the log publishes,"
                        + " e.g. kpu.example/pemilu-2024+1a2b3c4d+AbC...=");
                err.flush();
                return 2;
            }
        }
        if (maxFindings < 0) {
            err.println("rekap verify: --max-findings must be 0 or more");
            err.flush();
            return 2;
        }
        Report report;
        try {
            Source source = Source.open(target);
            report = new Verifier(source, new Verifier.Options(key, state, full, true), new ProgressAdapter("verify")).run();
        } catch (SourceException e) {
            err.println("rekap verify: " + e.getMessage());
            err.println("Nothing was verified. Check the URL or directory and that the site is up, then run again.");
            err.flush();
            return 2;
        }
        for (String line : report.lines(maxFindings)) out.println(line);
        out.flush();
        return report.ok() ? 0 : 1;
    }

    /** Shows each phase with {@link Progress} on stderr, and warnings as they come. */
    static final class ProgressAdapter implements ProgressListener {
        private final String verb;
        private Progress progress;

        ProgressAdapter(String verb) {
            this.verb = verb;
        }

        @Override
        public void begin(String what, long total) {
            progress = new Progress(what, total);
        }

        @Override
        public void begin(String what, long total, long startedNanos) {
            progress = new Progress(what, total, System.err, startedNanos);
        }

        @Override
        public void advance(long n) {
            if (progress != null) progress.add(n);
        }

        @Override
        public void end() {
            if (progress != null) progress.finish();
            progress = null;
        }

        @Override
        public void warn(String message) {
            System.err.println("rekap " + verb + ": warning: " + message);
        }
    }
}
