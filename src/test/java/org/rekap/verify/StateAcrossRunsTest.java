package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.verify.Finding.Check;

/** The state file across runs: growth is proven consistent, a rollback is caught; and a site that grows mid-run. */
class StateAcrossRunsTest {
    @TempDir
    Path dir;

    private static Report verify(String target, Path state) throws Exception {
        return new Verifier(Source.open(target), new Verifier.Options(null, state, false, true), ProgressListener.NONE).run();
    }

    @Test
    void twoHonestRunsWithMoreSheetsInBetweenPassTheConsistencyCheck() throws Exception {
        try (LiveSite live = new LiveSite(dir, 13)) {
            long first = live.submit(150);
            live.awaitCheckpoint(first);
            Path state = dir.resolve("state.json");
            Report r1 = verify(live.base(), state);
            assertThat(r1.findings()).isEmpty();
            assertThat(VerifyState.read(state).orElseThrow().size()).isEqualTo(first);
            Files.copy(state, dir.resolve("state-copy.json"));
            Path old = Files.createDirectory(dir.resolve("old"));
            assertThat(LiveSite.copy(live.base(), old).findings()).isEmpty();

            long second = live.submitAll();
            assertThat(second).isGreaterThan(first);
            live.awaitCheckpoint(second);
            Report r2 = verify(live.base(), state);
            assertThat(r2.findings()).isEmpty();
            assertThat(r2.checkedLines())
                    .contains("consistency proof from size " + first + " to " + second)
                    .contains("the rebuilt tree at size " + first + " has the root verified last time");
            VerifyState after = VerifyState.read(state).orElseThrow();
            assertThat(after.size()).isEqualTo(second);

            // A copy of the newer site serves no consistency proof: the rebuilt tree still proves it.
            Path newer = Files.createDirectory(dir.resolve("newer"));
            assertThat(LiveSite.copy(live.base(), newer).findings()).isEmpty();
            Report fromCopy = verify(newer.toString(), dir.resolve("state-copy.json"));
            assertThat(fromCopy.findings()).isEmpty();
            assertThat(fromCopy.notCheckedLines()).anyMatch(l -> l.contains("consistency proof"));
            assertThat(fromCopy.checkedLines()).contains("the rebuilt tree at size " + first
                    + " has the root verified last time");

            // The older copy, after the newer run: the log went back.
            Report back = verify(old.toString(), state);
            assertThat(back.findings()).filteredOn(f -> f.check() == Check.CONSISTENCY).singleElement().satisfies(f -> {
                assertThat(f.what()).startsWith("ROLLBACK: the log is shorter than the checkpoint verified");
                assertThat(f.expected()).isEqualTo(">= " + second);
                assertThat(f.found()).isEqualTo(Long.toString(first));
            });
            assertThat(VerifyState.read(state).orElseThrow().size()).as("a failed run changes nothing").isEqualTo(second);
        }
    }

    /** The live site, except that some paths answer with bytes saved earlier (an older snapshot, a lagging cache). */
    private static Source withOlder(String base, java.util.Map<String, Source.Response> older, int times) throws Exception {
        Source live = Source.open(base);
        java.util.Map<String, Integer> served = new java.util.concurrent.ConcurrentHashMap<>();
        return new Source() {
            @Override
            public Response fetch(String path) throws NotFoundException, SourceException {
                Response old = older.get(path);
                if (old != null && served.merge(path, 1, Integer::sum) <= times) return old;
                return live.fetch(path);
            }

            @Override
            public String describe() {
                return live.describe();
            }
        };
    }

    @Test
    void documentsNewerThanTheCheckpointMakeTheVerifierCatchUpAndOlderOnesAreFetchedAgain() throws Exception {
        try (LiveSite live = new LiveSite(dir, 19)) {
            long first = live.submit(120);
            live.awaitCheckpoint(first);
            Source now = Source.open(live.base());
            java.util.Map<String, Source.Response> older = new java.util.HashMap<>();
            for (String path : java.util.List.of("checkpoint", "api/v1/regions/0/ppwp.json"))
                older.put(path, now.fetch(path));
            long second = live.submitAll();
            live.awaitCheckpoint(second);

            // The first checkpoint read is the older one: the documents (newer) make the verifier fetch the newer one,
            // check it against the older, extend the tree and replay to their size. The stale region document is
            // fetched again.
            Report r = new Verifier(withOlder(live.base(), older, 1), new Verifier.Options(null, dir.resolve("a.json"),
                    false, true), ProgressListener.NONE).run();
            assertThat(r.findings()).as(String.join("\n", r.lines(20))).isEmpty();
            assertThat(r.checkpoint().size()).isEqualTo(second);
            assertThat(r.checkedLines()).contains("the log grew from " + first + " to " + second + " during the run:"
                    + " each newer checkpoint was checked against the previous one, and each document against the"
                    + " replay at its own snapshot's log size");
            assertThat(VerifyState.read(dir.resolve("a.json")).orElseThrow().size()).isEqualTo(second);

            // A document that stays older than what was verified cannot be compared: reported, not passed.
            java.util.Map<String, Source.Response> stale = java.util.Map.of("api/v1/regions/0/ppwp.json",
                    older.get("api/v1/regions/0/ppwp.json"));
            Report s = new Verifier(withOlder(live.base(), stale, 100), new Verifier.Options(null, dir.resolve("b.json"),
                    false, true), ProgressListener.NONE).run();
            assertThat(s.findings()).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo(Check.SNAPSHOT);
                assertThat(f.path()).isEqualTo("api/v1/regions/0/ppwp.json");
                assertThat(f.found()).isEqualTo(Long.toString(first));
            });
        }
    }

    @Test
    void aSiteThatGrowsWhileItIsVerifiedVerifies() throws Exception {
        try (LiveSite live = new LiveSite(dir, 17)) {
            long start = live.submit(100);
            live.awaitCheckpoint(start);
            CompletableFuture<Void> officers = CompletableFuture.runAsync(() -> {
                try {
                    while (live.remaining() > 0) {
                        live.submit(Math.min(4, live.remaining()));
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path state = dir.resolve("state.json");
            int runs = 0;
            while (!officers.isDone() || runs < 2) {
                Report r = verify(live.base(), state);
                assertThat(r.findings()).as(String.join("\n", r.lines(20))).isEmpty();
                runs++;
            }
            officers.join();
            assertThat(VerifyState.read(state).orElseThrow().size()).isGreaterThan(start);
        }
    }
}
