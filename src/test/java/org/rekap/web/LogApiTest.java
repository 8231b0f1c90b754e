package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteVerifier;
import org.rekap.region.RegionTree;

/** The log served as C2SP tlog-tiles over real HTTP, checked with the verification code a third party would use. */
class LogApiTest extends LiveElectionTest {
    @Override
    long seed() {
        return 3;
    }

    @Test
    void theSignedCheckpointTilesEntriesAndProofsAllAgree() throws Exception {
        int n = submit(260);
        Checkpoint first = checkpoint(n);
        NoteVerifier verifier = NoteVerifier.parse(Json.MAPPER.readTree(get("/api/v1/election.json").body()).get("log")
                .get("verifierKey").asText());
        assertThat(verifier.verifierKey()).isEqualTo(live.signer.verifier().verifierKey());
        assertThat(first.origin()).isEqualTo("rekap.test/live");

        // Rebuild the tree from the entry bundles alone: its root must be the signed one.
        List<byte[]> leaves = new ArrayList<>();
        for (long i = 0; i * 256 < n; i++) {
            int width = (int) Math.min(256, n - i * 256);
            String path = "/tile/entries/" + String.format("%03d", i) + (width < 256 ? ".p/" + width : "");
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            for (byte[] e : EntryBundle.decode(r.body())) leaves.add(MerkleHash.leaf(e));
        }
        assertThat(leaves).hasSize(n);
        assertThat(MerkleTree.rootOf(leaves)).isEqualTo(first.rootHash());
        // The first level-0 hash tile holds the first 256 leaf hashes.
        byte[] tile = get("/tile/0/000").body();
        assertThat(tile).hasSize(256 * 32);
        for (int i = 0; i < 256; i++) assertThat(java.util.Arrays.copyOfRange(tile, i * 32, i * 32 + 32)).isEqualTo(leaves.get(i));
        assertThat(get("/tile/0/000").headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        assertThat(get("/tile/0/999").statusCode()).isEqualTo(404);
        assertThat(get("/tile/entries/000.p/" + (n + 1)).statusCode()).isEqualTo(404);

        // An inclusion proof for one TPS sheet verifies against the signed root.
        long seq = 123;
        JsonNode inc = Json.MAPPER.readTree(get("/api/v1/proof/inclusion.json?index=" + seq + "&size=" + n).body());
        assertThat(MerkleTree.verifyInclusion(seq, n, leaves.get((int) seq), hashes(inc.get("proof")), first.rootHash())).isTrue();
        assertThat(MerkleTree.verifyInclusion(seq + 1, n, leaves.get((int) seq), hashes(inc.get("proof")), first.rootHash())).isFalse();

        // More sheets: the new checkpoint is consistent with the first.
        int m = submit(40);
        assertThat(m).isEqualTo(n + 40);
        Checkpoint second = checkpoint(m);
        JsonNode cons = Json.MAPPER.readTree(get("/api/v1/proof/consistency.json?from=" + n + "&to=" + m).body());
        assertThat(MerkleTree.verifyConsistency(n, m, first.rootHash(), second.rootHash(), hashes(cons.get("proof")))).isTrue();

        HttpResponse<byte[]> bad = get("/api/v1/proof/inclusion.json?index=x&size=" + (m + 5));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(bad.body()).get("error").get("fields").get(0).get("field").asText()).isEqualTo("index");
    }

    @Test
    void aLogChangedBehindItsBackStopsWritesAfterAStartFromSavedStateAndRefusesAFullReplay() throws Exception {
        int n = submit(20);
        checkpoint(n);
        live.server.close();
        long seq;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rekap.db"))) {
            var rs = c.createStatement().executeQuery(
                    "SELECT seq FROM log_entry WHERE instr(CAST(body AS TEXT), '\"type\":\"sheet\"') > 0 ORDER BY seq LIMIT 1 OFFSET 5");
            rs.next();
            seq = rs.getLong(1);
            c.createStatement().execute("DROP TRIGGER log_entry_no_update");
            int changed = c.createStatement().executeUpdate(
                    "UPDATE log_entry SET body = CAST(replace(CAST(body AS TEXT), '\"invalid\":', '\"invalid\": ') AS BLOB) WHERE seq = " + seq);
            assertThat(changed).isEqualTo(1);
        }
        // The clean stop saved the derived state: the server serves at once and checks the entries it did not read
        // in the background; the changed one stops every write.
        live.restartServer();
        String body = live.submission("after-change", live.election.sheet(live.election.tree().size() - 1,
                live.election.election().contestsAt(live.election.tree().size() - 1).get(0)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {
            assertThat(System.nanoTime()).as("writes never stopped after the changed entry").isLessThan(deadline);
            status = http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .statusCode();
            assertThat(status).isIn(201, 503);
            if (status != 503) Thread.sleep(200); // paces the polling under the officer side's rate limit
        } while (status != 503);
        live.server.close();
        // Without saved state every entry is replayed at start, and the changed one refuses the start.
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rekap.db"))) {
            c.createStatement().executeUpdate("DELETE FROM derived_state");
        }
        assertThatThrownBy(() -> live.restartServer()).hasMessageContaining("log entry " + seq + " does not match its tree hash");
        live.server = null;
    }

    private final List<Runnable> pending = new ArrayList<>();

    /** Submits the next {@code count} sheets of the election; returns the log size after. */
    private int submit(int count) throws Exception {
        if (pending.isEmpty()) {
            RegionTree tree = live.election.tree();
            for (int t = tree.regionCount(); t < tree.size(); t++) {
                for (Contest c : live.election.election().contestsAt(t)) {
                    String body = live.submission("x-" + t + "-" + c.id(), live.election.sheet(t, c));
                    pending.add(() -> {
                        try {
                            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets"))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                            assertThat(r.statusCode()).isEqualTo(201);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                }
            }
        }
        for (int i = 0; i < count; i++) pending.remove(0).run();
        return (int) live.store.logSize();
    }

    /** Waits (bounded) for the checkpoint of this size and opens it with the live key. */
    private Checkpoint checkpoint(long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Checkpoint c = Checkpoints.open(get("/checkpoint").body(), live.signer.verifier());
            if (c.size() == size) return c;
            assertThat(System.nanoTime()).as("checkpoint never reached " + size).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(live.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
