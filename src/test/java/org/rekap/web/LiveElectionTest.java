package org.rekap.web;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.generate.SyntheticElection;
import org.rekap.store.ElectionStore;

/** Tests that talk to a {@link LiveElection} started afresh for each test on its own temp dir. */
abstract class LiveElectionTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    LiveElection live;
    SyntheticElection election;
    ElectionStore store;

    /** The synthetic election's seed (chosen per class for the cases it needs). */
    abstract long seed();

    Duration publishInterval() {
        return Duration.ofMillis(20);
    }

    @BeforeEach
    void startLiveElection() {
        live = new LiveElection(dir, seed(), publishInterval());
        election = live.election;
        store = live.store;
    }

    @AfterEach
    void stopLiveElection() {
        live.close();
    }
}
