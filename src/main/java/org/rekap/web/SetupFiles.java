package org.rekap.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Election;
import org.rekap.publish.Document;
import org.rekap.store.Setup;

/**
 * The election's set-up in the import formats (region CSV with DPT, contests file), published so that anyone can
 * replay the log and recompute every total without asking us for anything else. The region CSV of a national tree
 * (8 MB, about a second of CPU to write and compress) is made on a thread of its own beside the server's start, not
 * in its way; a request that comes before it is ready waits for it.
 */
record SetupFiles(CompletableFuture<Document> regions, Document contests) {
    static SetupFiles of(Setup setup, Election election) {
        CompletableFuture<Document> regions = CompletableFuture.supplyAsync(() -> regionsCsv(election),
                task -> Thread.ofPlatform().name("rekap-setup-files").daemon().start(task));
        byte[] contests = ContestsJson.write(new ContestsJson.Setup(setup.name(), setup.rootName(), setup.contests()));
        return new SetupFiles(regions, Document.of("application/json; charset=utf-8", contests, 0, true));
    }

    private static Document regionsCsv(Election election) {
        StringWriter csv = new StringWriter(1 << 20);
        try {
            RegionCsv.write(election.tree(), csv, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Document.of("text/csv; charset=utf-8", csv.toString().getBytes(StandardCharsets.UTF_8), 0, true);
    }
}
