package org.rekap.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Election;
import org.rekap.publish.Document;
import org.rekap.store.Setup;

/**
 * The election's set-up in the import formats (region CSV with DPT, contests file), published so that anyone can
 * replay the log and recompute every total without asking us for anything else.
 */
record SetupFiles(Document regions, Document contests) {
    static SetupFiles of(Setup setup, Election election) {
        StringWriter csv = new StringWriter(1 << 20);
        try {
            RegionCsv.write(election.tree(), csv, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] contests = ContestsJson.write(new ContestsJson.Setup(setup.name(), setup.rootName(), setup.contests()));
        return new SetupFiles(
                Document.of("text/csv; charset=utf-8", csv.toString().getBytes(StandardCharsets.UTF_8), 0, true),
                Document.of("application/json; charset=utf-8", contests, 0, true));
    }
}
