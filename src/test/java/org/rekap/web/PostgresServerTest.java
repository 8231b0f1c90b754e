package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.PostgresStore;
import org.rekap.store.PostgresUrl;
import org.rekap.store.TestPostgres;

/**
 * The real server on PostgreSQL: officers enrol and submit over HTTP, the public totals equal a sum computed here,
 * and after the server and the store are closed and opened again everything comes back from the database.
 */
class PostgresServerTest {
    static final long SEED = 11;
    static final Duration PUBLISH = Duration.ofMillis(50);

    @TempDir
    Path dir;

    PostgresUrl url;
    LiveElection live;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        url = TestPostgres.freshSchema();
        live = new LiveElection(dir, PostgresStore.open(url), SEED, PUBLISH);
    }

    @AfterEach
    void stop() {
        if (live != null) live.close();
        TestPostgres.drop(url);
    }

    @Test
    void sheetsSubmittedOverHttpAreCountedAndSurviveARestartOfServerAndStore() throws Exception {
        RegionTree tree = live.election.tree();
        Contest ppwp = live.election.election().contest("ppwp");
        long[] expected = new long[ppwp.choices().size()];
        long valid = 0, counted = 0, held = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            TallySheet sheet = live.election.sheet(t, ppwp);
            HttpResponse<String> r = post(live.submission("pg-" + t, sheet));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            if (live.election.isAnomalous(t, ppwp)) {
                held++;
                continue;
            }
            for (int i = 0; i < expected.length; i++) expected[i] += sheet.votes().get(i).total();
            valid += sheet.valid();
            counted++;
        }
        long logSize = live.store.logSize();
        assertThat(logSize).as("an enrolment and a sheet per TPS").isEqualTo(2L * tree.tpsCount());

        JsonNode before = rootAt(logSize);
        JsonNode totals = before.get("totals");
        for (int i = 0; i < expected.length; i++) assertThat(totals.get("choices").get(i).asLong()).isEqualTo(expected[i]);
        assertThat(totals.get("valid").asLong()).isEqualTo(valid);
        assertThat(totals.get("progress").get("tpsCounted").asLong()).isEqualTo(counted);
        assertThat(totals.get("progress").get("tpsHeld").asLong()).isEqualTo(held);
        assertThat(counted + held).isEqualTo(tree.tpsCount());

        // Close the server and the pool; a new store on the same schema and a new server rebuild it all from the log.
        live.close();
        live = new LiveElection(dir, PostgresStore.open(url), SEED, PUBLISH);
        assertThat(live.store.logSize()).isEqualTo(logSize);
        assertThat(rootAt(logSize)).isEqualTo(before);
        // The phones' enrolments came back from the log too: an enrolled phone's next sheet (another contest of its
        // TPS) is accepted, and stored where the log stopped.
        int t = tree.regionCount();
        Contest other = live.election.election().contestsAt(t).stream().filter(c -> !c.id().equals("ppwp")).findFirst().orElseThrow();
        SimOfficer phone = SimOfficer.of(tree.code(t), "used before the restart", 42);
        HttpResponse<String> r = post(LiveElection.signedBy(phone, "pg-after-restart", live.election.sheet(t, other)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(r.body()).get("seq").asLong()).isEqualTo(logSize);
        assertThat(live.store.logSize()).isEqualTo(logSize + 1);
        assertThat(rootAt(logSize + 1).get("totals")).isEqualTo(totals);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The root's PPWP document once publication has caught up with {@code size} entries (bounded wait). */
    private JsonNode rootAt(long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.uri("/api/v1/election.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && Json.MAPPER.readTree(r.body()).get("logSize").asLong() >= size) break;
            assertThat(System.nanoTime()).as("publication never reached " + size + " entries").isLessThan(deadline);
            Thread.onSpinWait();
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.uri("/api/v1/regions/0/ppwp.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
