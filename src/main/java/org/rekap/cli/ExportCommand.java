package org.rekap.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rekap.export.ExportException;
import org.rekap.export.SiteExport;
import org.rekap.store.ElectionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
            "Writes the public site as static files, for nginx or any static host: pages,",
            "every document, the CSV downloads of the nation, provinces and kabupaten/kota,",
            "the pages of held or reviewed TPS sheets (the page builds the others from the",
            "entry bundles), the signed checkpoint, tiles, entry bundles, set-up, search",
            "index and photos, all from one log size. Starts from the server's saved state",
            "when it matches the log. The export is written beside --to, synced to disk,",
            "and switched in by replacing the --to symlink in one rename, so a server never",
            "shows half an export. A sample nginx configuration is in",
            "deploy/nginx/rekap-static.conf; 'rekap verify <dir>' checks an export."},
        footer = {"", "Examples:",
            "  rekap export --to ./site",
            "  rekap export --data /srv/pemilu --to /var/www/rekap",
            "  rekap verify ./site",
            "",
            "Re-run it to publish a newer export: --to is switched atomically and the",
            "previous export's directory is removed. The server may keep running."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "data directory holding rekap.db (default: ${DEFAULT-VALUE})")
    Path data;

    @picocli.CommandLine.Mixin
    DatabaseOption database;

    @Option(names = "--to", required = true, paramLabel = "<dir>",
            description = "where the site appears: a path that does not exist yet, or the symlink of an earlier export")
    Path to;

    @Option(names = "--key", description = "the log's signing key, to sign the export's checkpoint (default: <data>/log.key)")
    Path key;

    @Override
    public Integer call() throws Exception {
        var signer = LogKeys.load(key != null ? key : data.resolve(LogKeys.FILE));
        long t0 = System.nanoTime();
        ElectionStore opened = database.openElection(data, "export");
        if (opened == null) return 1;
        try (ElectionStore store = opened) {
            SiteExport.Result r = new SiteExport(store, signer, data.resolve("photos"), new VerifyCommand.ProgressAdapter("export"))
                    .export(to);
            System.out.printf(Locale.ROOT, "exported log size %,d (%s): %,d files, %,d bytes in %.1f s%n  %s -> %s%n",
                    r.logSize(), r.fromSavedState() < 0 ? "whole log replayed"
                            : String.format(Locale.ROOT, "from saved state at %,d", r.fromSavedState()),
                    r.files(), r.bytes(), (System.nanoTime() - t0) / 1e9, r.target(), r.directory().getFileName());
            return 0;
        } catch (ExportException e) {
            System.err.println("rekap export: " + e.getMessage());
            return 1;
        }
    }
}
