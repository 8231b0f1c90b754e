package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;

/** The read side over real HTTP: content negotiation, validators, HEAD, downloads, and snapshot consistency. */
class PublicReadTest extends LiveElectionTest {
    @Override
    long seed() {
        return 5;
    }

    @Test
    void theSameDocumentComesInEveryCodingTheClientAccepts() throws Exception {
        submitAll(200);
        HttpResponse<byte[]> plain = get("/api/v1/regions/0/ppwp.json", null);
        HttpResponse<byte[]> gz = get("/api/v1/regions/0/ppwp.json", "gzip, deflate");
        HttpResponse<byte[]> br = get("/api/v1/regions/0/ppwp.json", "gzip;q=0.5, br");
        HttpResponse<byte[]> noBr = get("/api/v1/regions/0/ppwp.json", "br;q=0, gzip");
        assertThat(plain.headers().firstValue("Content-Encoding").orElse("identity")).isEqualTo("identity");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(noBr.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        byte[] identity = plain.body();
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes()).isEqualTo(identity);
        Brotli4jLoader.ensureAvailability();
        assertThat(Decoder.decompress(br.body()).getDecompressedData()).isEqualTo(identity);
        assertThat(gz.body().length).isLessThan(identity.length);
        // Each coding has its own tag; any of them revalidates the content.
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        String gzTag = gz.headers().firstValue("ETag").orElseThrow();
        assertThat(gzTag).isNotEqualTo(plainTag).endsWith("-gz\"");
        for (String tag : List.of(plainTag, gzTag, "W/" + gzTag, "\"nope\", " + gzTag)) {
            HttpResponse<byte[]> again = send(HttpRequest.newBuilder(uri("/api/v1/regions/0/ppwp.json"))
                    .header("If-None-Match", tag).header("Accept-Encoding", "gzip").build());
            assertThat(again.statusCode()).as(tag).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/regions/0/ppwp.json")).header("If-None-Match", "\"other\"").build())
                .statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=").contains("stale-while-revalidate")
                .contains("stale-if-error");
    }

    @Test
    void aDeepDocumentIsRenderedOnRequestInEveryCodingAndRevalidatedByItsTag() throws Exception {
        RegionTree tree = election.tree();
        int tps = tree.regionCount(), village = tree.parent(tps);
        int other = tree.parent(tree.size() - 1); // the last TPS's village: nothing below it changes here
        assertThat(tree.depth(village)).as("a document rendered on request").isGreaterThan(2);
        assertThat(other).isNotEqualTo(village);
        String path = "/api/v1/regions/" + tree.code(village) + "/ppwp.json";
        String otherPath = "/api/v1/regions/" + tree.code(other) + "/ppwp.json";
        submit(tree.regionCount() + 1, "ppwp"); // a first snapshot with votes
        String tagBefore = get(path, "gzip").headers().firstValue("ETag").orElseThrow();
        String otherTag = get(otherPath, null).headers().firstValue("ETag").orElseThrow();

        submit(tps, "ppwp");
        HttpResponse<byte[]> plain = get(path, null);
        HttpResponse<byte[]> gz = get(path, "gzip");
        HttpResponse<byte[]> br = get(path, "br");
        JsonNode doc = Json.MAPPER.readTree(plain.body());
        JsonNode child = doc.get("children").get(0);
        assertThat(child.get("code").asText()).isEqualTo(tree.code(tps));
        assertThat(child.get("seq").asLong()).isEqualTo(store.logSize() - 1);
        assertThat(child.get("valid").asLong()).isEqualTo(election.isAnomalous(tps, election.election().contest("ppwp"))
                ? 0 : election.sheet(tps, election.election().contest("ppwp")).valid());
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes()).isEqualTo(plain.body());
        Brotli4jLoader.ensureAvailability();
        assertThat(Decoder.decompress(br.body()).getDecompressedData()).isEqualTo(plain.body());
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        assertThat(plainTag).isNotEqualTo(tagBefore.replace("-gz\"", "\""));
        assertThat(gz.headers().firstValue("ETag")).hasValue(plainTag.replace("\"", "").transform(t -> "\"" + t + "-gz\""));
        // The old tag no longer matches; the new one does, in any coding; an unchanged document keeps its tag.
        assertThat(send(HttpRequest.newBuilder(uri(path)).header("If-None-Match", tagBefore).build()).statusCode()).isEqualTo(200);
        for (String coding : List.of("gzip", "br", "identity")) {
            HttpResponse<byte[]> again = send(HttpRequest.newBuilder(uri(path)).header("If-None-Match", plainTag)
                    .header("Accept-Encoding", coding).build());
            assertThat(again.statusCode()).as(coding).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
        assertThat(get(otherPath, null).headers().firstValue("ETag")).hasValue(otherTag);
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept-Encoding", "gzip").build());
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(gz.body().length));
        // The village's contest menu is rendered on request too.
        JsonNode menu = Json.MAPPER.readTree(get("/api/v1/regions/" + tree.code(village) + ".json", "identity").body());
        assertThat(menu.get("contests").toString()).contains("\"ppwp\"");
        assertThat(get("/api/v1/regions/" + tree.code(village) + "/nope.json", null).statusCode()).isEqualTo(404);
    }

    /** Submits one TPS's sheet for a contest and waits (bounded) until a snapshot reflects it. */
    private void submit(int tps, String contest) throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/api/officer/v1/sheets")).POST(HttpRequest.BodyPublishers
                .ofString(live.submission("one-" + tps + "-" + contest, election.sheet(tps, election.election().contest(contest))))).build());
        assertThat(r.statusCode()).isEqualTo(201);
        awaitPublished();
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() throws Exception {
        HttpResponse<byte[]> get = get("/api/v1/regions/11/ppwp.json", "gzip");
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri("/api/v1/regions/11/ppwp.json"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept-Encoding", "gzip").build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(get.body().length));
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
    }

    @Test
    void csvAndJsonDownloadsAddUpExactlyToThePublishedTotals() throws Exception {
        submitAll(Integer.MAX_VALUE);
        RegionTree tree = election.tree();
        for (Contest c : election.election().contests()) {
            for (int root : election.election().districtRoots(c.id())) {
                for (int node : List.of(RegionTree.ROOT, root, tree.child(root, 0))) {
                    String code = tree.code(node);
                    HttpResponse<byte[]> docResponse = get("/api/v1/regions/" + code + "/" + c.id() + ".json", null);
                    HttpResponse<byte[]> csvResponse = get("/api/v1/download/" + code + "/" + c.id() + ".csv", "gzip");
                    assertThat(csvResponse.statusCode()).isEqualTo(200);
                    // Compare only within one snapshot; every sheet is in, so both come from the last one.
                    assertThat(csvResponse.headers().firstValue("X-Rekap-Log-Size"))
                            .isEqualTo(docResponse.headers().firstValue("X-Rekap-Log-Size"));
                    JsonNode totals = Json.MAPPER.readTree(docResponse.body()).get("totals");
                    String csvText = csvResponse.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                            ? new String(new GZIPInputStream(new ByteArrayInputStream(csvResponse.body())).readAllBytes(), StandardCharsets.UTF_8)
                            : new String(csvResponse.body(), StandardCharsets.UTF_8);
                    String[] lines = csvText.split("\n");
                    List<String> header = List.of(lines[0].split(","));
                    long[] sums = new long[c.choices().size()];
                    long valid = 0, counted = 0, held = 0;
                    for (int i = 1; i < lines.length; i++) {
                        String[] cells = lines[i].split(",", -1);
                        assertThat(cells).hasSize(header.size());
                        if (cells[4].equals("held")) held++;
                        if (!cells[4].equals("counted")) {
                            assertThat(cells[header.indexOf("valid")]).as("held or missing TPS carry no numbers").isEmpty();
                            continue;
                        }
                        counted++;
                        valid += Long.parseLong(cells[header.indexOf("valid")]);
                        for (int k = 0; k < sums.length; k++)
                            sums[k] += Long.parseLong(cells[header.indexOf("choice_" + c.choices().get(k).number())]);
                    }
                    String where = c.id() + " at " + code;
                    assertThat(lines.length - 1L).as(where + " rows").isEqualTo(totals.get("progress").get("tpsTotal").asLong());
                    assertThat(counted).as(where).isEqualTo(totals.get("progress").get("tpsCounted").asLong());
                    assertThat(held).as(where).isEqualTo(totals.get("progress").get("tpsHeld").asLong());
                    assertThat(valid).as(where).isEqualTo(totals.get("valid").asLong());
                    for (int k = 0; k < sums.length; k++) assertThat(sums[k]).as(where).isEqualTo(totals.get("choices").get(k).asLong());

                    JsonNode json = Json.MAPPER.readTree(get("/api/v1/download/" + code + "/" + c.id() + ".json", null).body());
                    assertThat(json.get("rows").size()).isEqualTo(lines.length - 1);
                    long jsonValid = 0;
                    int validColumn = header.indexOf("valid");
                    for (JsonNode row : json.get("rows")) jsonValid += row.get(validColumn).asLong();
                    assertThat(jsonValid).as(where + " json").isEqualTo(valid);
                }
            }
        }
        assertThat(get("/api/v1/download/0/nope.csv", null).statusCode()).isEqualTo(404);
        // The OpenAPI document is served, and it is the one in the repository.
        HttpResponse<byte[]> openapi = get("/api/v1/openapi.yaml", null);
        assertThat(openapi.body()).isEqualTo(java.nio.file.Files.readAllBytes(Path.of("src/main/resources/openapi.yaml")));
        for (String path : List.of("/api/officer/v1/sheets", "/api/v1/regions/{code}/{contest}.json", "/api/v1/download/{code}/{contest}.csv",
                "/api/v1/tps/{code}/{contest}.json", "/api/v1/search"))
            assertThat(new String(openapi.body(), StandardCharsets.UTF_8)).contains("  " + path + ":");
    }

    @Test
    void readersNeverSeeADocumentThatMixesTwoStatesWhileWritersSubmit() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(pool.submit(() -> {
                int reads = 0;
                long lastSize = -1;
                while (!done.get() || reads < 20) {
                    HttpResponse<byte[]> resp = get("/api/v1/regions/0/ppwp.json", "gzip");
                    JsonNode doc = Json.MAPPER.readTree(new GZIPInputStream(new ByteArrayInputStream(resp.body())));
                    long size = Long.parseLong(resp.headers().firstValue("X-Rekap-Log-Size").orElseThrow());
                    if (size < lastSize) problems.add("log size went back from " + lastSize + " to " + size);
                    lastSize = size;
                    JsonNode t = doc.get("totals");
                    long valid = 0, counted = 0;
                    for (JsonNode child : doc.get("children")) {
                        valid += child.get("valid").asLong();
                        counted += child.get("progress").get("tpsCounted").asLong();
                    }
                    if (valid != t.get("valid").asLong() || counted != t.get("progress").get("tpsCounted").asLong())
                        problems.add("root totals differ from the sum of its children at size " + size);
                    long choices = 0;
                    for (JsonNode v : t.get("choices")) choices += v.asLong();
                    if (choices != t.get("valid").asLong()) problems.add("choices do not add up to valid at size " + size);
                    reads++;
                }
                return reads;
            }));
        }
        Future<?> writer = pool.submit(() -> {
            submitAll(Integer.MAX_VALUE);
            return null;
        });
        writer.get();
        done.set(true);
        int reads = 0;
        for (Future<Integer> f : readers) reads += f.get();
        pool.shutdown();
        assertThat(problems).isEmpty();
        assertThat(reads).isGreaterThan(60);
    }

    @Test
    void aTpsDetailShowsItsSheetFlagsAndVersionAndASearchFindsRegionsByNameOrCode() throws Exception {
        submitAll(Integer.MAX_VALUE);
        RegionTree tree = election.tree();
        int held = -1, counted = -1;
        Contest ppwp = election.election().contest("ppwp");
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            if (election.isAnomalous(t, ppwp)) held = t;
            else counted = t;
        }
        assertThat(held).as("the small election has a held PPWP sheet").isPositive();
        for (int t : List.of(held, counted)) {
            JsonNode doc = Json.MAPPER.readTree(get("/api/v1/tps/" + tree.code(t) + "/ppwp.json", "gzip").body().length > 0
                    ? get("/api/v1/tps/" + tree.code(t) + "/ppwp.json", null).body() : new byte[0]);
            assertThat(doc.get("tps").get("code").asText()).isEqualTo(tree.code(t));
            assertThat(doc.get("status").asText()).isEqualTo(t == held ? "held" : "counted");
            assertThat(doc.get("violations").size() > 0).isEqualTo(t == held);
            assertThat(doc.get("sheet").get("valid").asInt()).isEqualTo(election.sheet(t, ppwp).valid());
            assertThat(doc.get("versions")).hasSize(1);
            assertThat(doc.get("versions").get(0).get("seq").asLong()).isEqualTo(doc.get("seq").asLong());
            assertThat(doc.get("path").get(doc.get("path").size() - 1).get("code").asText()).isEqualTo(tree.code(tree.parent(t)));
        }
        assertThat(get("/api/v1/tps/" + tree.code(counted) + "/dpd-99.json", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/tps/11/ppwp.json", null).statusCode()).isEqualTo(404);

        String name = tree.name(tree.index("11.01"));
        JsonNode found = Json.MAPPER.readTree(get("/api/v1/search?q=" + java.net.URLEncoder.encode(name.toLowerCase(), StandardCharsets.UTF_8), null).body());
        assertThat(found.get("results").get(0).get("code").asText()).isEqualTo("11.01");
        JsonNode byCode = Json.MAPPER.readTree(get("/api/v1/search?q=" + tree.code(counted), null).body());
        assertThat(byCode.get("results")).hasSize(1);
        assertThat(byCode.get("results").get(0).get("level").asText()).isEqualTo("tps");
        HttpResponse<byte[]> tooShort = get("/api/v1/search?q=a", null);
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(tooShort.body()).get("error").get("fields").get(0).get("field").asText()).isEqualTo("q");
    }

    @Test
    void theDprRollUpSumsEachPartyOverEveryDapil() throws Exception {
        submitAll(Integer.MAX_VALUE);
        JsonNode rollup = Json.MAPPER.readTree(get("/api/v1/regions/0/dpr.json", null).body());
        long[] sum = null;
        for (Contest c : election.election().contests()) {
            if (!c.id().startsWith("dpr-")) continue;
            JsonNode doc = Json.MAPPER.readTree(get("/api/v1/regions/0/" + c.id() + ".json", null).body());
            if (sum == null) sum = new long[c.choices().size()];
            for (int k = 0; k < sum.length; k++) sum[k] += doc.get("totals").get("choices").get(k).asLong();
        }
        assertThat(sum).isNotNull();
        for (int k = 0; k < sum.length; k++) assertThat(rollup.get("totals").get("choices").get(k).asLong()).isEqualTo(sum[k]);
        assertThat(rollup.get("totals").get("valid").asLong()).isEqualTo(java.util.Arrays.stream(sum).sum());
    }

    @Test
    void theSetUpIsPublishedInTheImportFormatsSoAnyoneCanReplayTheLog() throws Exception {
        byte[] csv = get("/api/v1/setup/regions.csv", "gzip").body();
        var rows = org.rekap.codec.RegionCsv.read(new java.io.BufferedReader(new java.io.InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(csv)), StandardCharsets.UTF_8)));
        var contests = org.rekap.codec.ContestsJson.read(get("/api/v1/setup/contests.json", null).body());
        var rebuilt = new org.rekap.store.Setup(contests.name(), contests.rootName(), rows, contests.contests()).election();
        RegionTree tree = election.tree();
        assertThat(rebuilt.tree().size()).isEqualTo(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            int j = rebuilt.tree().index(tree.code(i));
            assertThat(j).isGreaterThanOrEqualTo(0);
            assertThat(rebuilt.tree().dpt(j)).isEqualTo(tree.dpt(i));
        }
        assertThat(rebuilt.contests()).isEqualTo(election.election().contests());
    }

    private void submitAll(int limit) throws Exception {
        RegionTree tree = election.tree();
        int n = 0;
        for (int t = tree.regionCount(); t < tree.size() && n < limit; t++) {
            for (Contest c : election.election().contestsAt(t)) {
                HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/api/officer/v1/sheets"))
                        .POST(HttpRequest.BodyPublishers.ofString(live.submission("s-" + t + "-" + c.id(), election.sheet(t, c)))).build());
                assertThat(r.statusCode()).isEqualTo(201);
                n++;
            }
        }
        awaitPublished();
    }

    /** Waits (bounded) for the snapshot that reflects the whole log: a condition, not a fixed sleep. */
    private void awaitPublished() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (live.server.publisher().publishedSize() < store.logSize()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private URI uri(String path) {
        return live.uri(path);
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (acceptEncoding != null) b.header("Accept-Encoding", acceptEncoding);
        return send(b.build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
