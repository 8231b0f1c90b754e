package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.cli.Main;
import org.rekap.codec.Json;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.region.RegionTree;
import org.rekap.verify.Finding.Check;
import picocli.CommandLine;

/**
 * {@code rekap verify} against a real server and against a copy of its site, then against copies tampered with in
 * each way the issue names: each must fail, and the finding must name what was changed.
 */
class VerifyTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static LiveSite live;
    static long size;
    static Checkpoint honest;
    static Path site;

    @BeforeAll
    static void serveAndCopy() throws Exception {
        live = new LiveSite(shared, 11);
        live.submitAll();
        size = live.reviewAndRevoke();
        assertThat(size).isGreaterThan(256);
        honest = live.awaitCheckpoint(size);
        site = Files.createDirectory(shared.resolve("site"));
        Report copying = LiveSite.copy(live.base(), site);
        assertThat(copying.findings()).isEmpty();
    }

    @AfterAll
    static void stop() {
        if (live != null) live.close();
    }

    private Report verify(String target, Path state) throws Exception {
        return new Verifier(Source.open(target), new Verifier.Options(null, state, false, true), ProgressListener.NONE).run();
    }

    private Report verify(Path copy) throws Exception {
        return verify(copy.toString(), dir.resolve("state-" + System.nanoTime() + ".json"));
    }

    private Path tamperable() throws Exception {
        return LiveSite.duplicate(site, dir.resolve("copy"));
    }

    private static List<Finding> findings(Report r, Check check) {
        return r.findings().stream().filter(f -> f.check() == check).toList();
    }

    // ------------------------------------------------------------------ honest sites

    @Test
    void theLiveServerVerifiesWithNoFindingAndIsRememberedForTheNextRun() throws Exception {
        Path state = dir.resolve("state.json");
        Report r = verify(live.base(), state);
        assertThat(r.findings()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.checkpoint()).isEqualTo(honest);
        assertThat(r.warnings()).anyMatch(w -> w.contains("trusting the key the server publishes (first use)"));
        assertThat(r.checkedLines()).as("every sheet and both review decisions")
                .anyMatch(l -> l.startsWith((live.receipts.size() + 2) + " device signatures: every sheet by the officer"));
        assertThat(r.notCheckedLines()).anyMatch(l -> l.startsWith("who was entitled to enrol a device"));
        assertThat(r.counts()).containsEntry("entries", size).containsEntry("documents", r.counts().get("documents"));
        assertThat(r.counts().get("documents")).isGreaterThan(100);
        assertThat(r.counts().get("download rows")).isGreaterThan(size / 2);
        assertThat(r.checkedLines()).anyMatch(l -> l.contains("signed root at log size " + size))
                .anyMatch(l -> l.contains("3 inclusion proofs"));

        VerifyState remembered = VerifyState.read(state).orElseThrow();
        assertThat(remembered.size()).isEqualTo(size);
        assertThat(remembered.rootHash()).isEqualTo(honest.rootHash());
        assertThat(remembered.verifierKey()).isEqualTo(live.signer.verifier().verifierKey());

        // The second run trusts the remembered key, not the published one, and finds the same checkpoint.
        Report again = verify(live.base(), state);
        assertThat(again.findings()).isEmpty();
        assertThat(again.warnings()).noneMatch(w -> w.contains("first use"));
        assertThat(again.checkedLines()).anyMatch(l -> l.contains("remembered in " + state))
                .anyMatch(l -> l.contains("the one verified last time"));
    }

    @Test
    void aPinnedKeyIsUsedAndAnotherKeyRefusesTheCheckpoint() throws Exception {
        String key = live.signer.verifier().verifierKey();
        Report pinned = new Verifier(Source.open(live.base()), new Verifier.Options(key, dir.resolve("s.json"), false,
                true), ProgressListener.NONE).run();
        assertThat(pinned.findings()).isEmpty();
        assertThat(pinned.warnings()).noneMatch(w -> w.contains("first use"));

        String other = NoteSigner.generate("rekap.test/verify", new SecureRandom()).verifier().verifierKey();
        Report wrong = new Verifier(Source.open(live.base()), new Verifier.Options(other, dir.resolve("t.json"), false,
                true), ProgressListener.NONE).run();
        assertThat(wrong.ok()).isFalse();
        assertThat(findings(wrong, Check.SIGNATURE)).singleElement().satisfies(f -> assertThat(f.path()).isEqualTo("checkpoint"));
        assertThat(findings(wrong, Check.KEY)).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("log.verifierKey");
            assertThat(f.expected()).isEqualTo(other);
            assertThat(f.found()).isEqualTo(key);
        });
        assertThat(Files.exists(dir.resolve("t.json"))).as("a failed run remembers nothing").isFalse();
    }

    @Test
    void aCopyOfTheSiteInADirectoryVerifies() throws Exception {
        Report r = verify(site);
        assertThat(r.findings()).isEmpty();
        assertThat(r.checkpoint()).isEqualTo(honest);
        assertThat(r.counts()).containsEntry("entries", size);
        assertThat(r.checkedLines()).anyMatch(l -> l.contains("3 inclusion proofs"));
        // The copy holds the server's bytes: every document but election.json matches the replay's rendering exactly.
        assertThat(r.checkedLines()).anyMatch(l -> l.startsWith("election.json, every region's contest list")
                && l.endsWith("byte for byte as the replay renders them, 1 field by field)"));
        assertThat(r.checkedLines()).anyMatch(l -> l.startsWith("CSV and JSON downloads")
                && l.endsWith("byte for byte as the replay renders them)"));
    }

    // ------------------------------------------------------------------ tampering

    /** The index in bundle 000 of the {@code n}-th sheet entry (the log starts with the devices' enrolments). */
    /**
     * The n-th sheet entry of bundle 000 that no review decides on. Sheets arrive concurrently, so their order in
     * the log varies from run to run; skipping reviewed ones keeps a tampered sheet from also orphaning a review.
     */
    private static int sheetEntry(int n) throws Exception {
        List<byte[]> entries = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(site.resolve("tile/entries/000"))));
        java.util.Set<String> reviewed = new java.util.HashSet<>();
        for (String bundle : List.of("tile/entries/000", "tile/entries/001.p/" + (size % 256)))
            if (Files.exists(site.resolve(bundle)))
                for (byte[] e : EntryBundle.decode(Files.readAllBytes(site.resolve(bundle))))
                    if (org.rekap.codec.EntryCodec.decode(e) instanceof org.rekap.ledger.ReviewDecided r) reviewed.add(r.tps() + "/" + r.contest());
        for (int i = 0; i < entries.size(); i++)
            if (org.rekap.codec.EntryCodec.decode(entries.get(i)) instanceof org.rekap.ledger.SheetSubmitted s
                    && !reviewed.contains(s.sheet().tps() + "/" + s.sheet().contest()) && n-- == 0) return i;
        throw new AssertionError("bundle 000 holds too few unreviewed sheets");
    }

    /** The byte offset of entry {@code k}'s bytes in a bundle, and its length. */
    private static int[] entryAt(byte[] bundle, int k) {
        int pos = 0;
        for (int i = 0; ; i++) {
            int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
            if (i == k) return new int[] {pos + 2, len};
            pos += 2 + len;
        }
    }

    @Test
    void aChangedDigitInAnEntryIsNamedBySeq() throws Exception {
        Path copy = tamperable();
        Path bundle = copy.resolve("tile/entries/000");
        byte[] b = Files.readAllBytes(bundle);
        int k = sheetEntry(0);
        int[] e = entryAt(b, k);
        String entry = new String(b, e[0], e[1], StandardCharsets.UTF_8);
        int at = e[0] + entry.indexOf("\"cast\":") + 7;
        b[at] = (byte) (b[at] == '9' ? '1' : b[at] + 1);
        Files.write(bundle, b);

        Report r = verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(findings(r, Check.ROOT)).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("checkpoint");
            assertThat(f.expected()).isEqualTo(java.util.Base64.getEncoder().encodeToString(honest.rootHash()));
        });
        assertThat(findings(r, Check.ENTRY)).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo((long) k);
            assertThat(f.path()).isEqualTo("tile/entries/000");
            assertThat(f.what()).contains("entry " + k + " was altered");
        });
        assertThat(findings(r, Check.TILE)).as("the tiles are right: the entry is blamed").isEmpty();
    }

    @Test
    void aByteThatBreaksAnEntrysEncodingIsNamedBySeq() throws Exception {
        Path copy = tamperable();
        Path bundle = copy.resolve("tile/entries/000");
        byte[] b = Files.readAllBytes(bundle);
        int k = sheetEntry(1);
        int[] e = entryAt(b, k);
        String entry = new String(b, e[0], e[1], StandardCharsets.UTF_8);
        b[e[0] + entry.indexOf("\"sheet\":") + 8] = ' '; // whitespace before the sheet object: not canonical
        Files.write(bundle, b);

        Report r = verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(findings(r, Check.ENTRY)).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo((long) k);
            assertThat(f.what()).contains("not a canonical, well-formed log entry");
        }).anySatisfy(f -> assertThat(f.what()).contains("entry " + k + " was altered"));
        assertThat(findings(r, Check.ROOT)).hasSize(1);
    }

    @Test
    void aChangedHashInAHashTileNamesTheTile() throws Exception {
        Path copy = tamperable();
        Path tile = copy.resolve("tile/0/000");
        byte[] t = Files.readAllBytes(tile);
        t[17 * 32 + 3] ^= 0x01;
        Files.write(tile, t);

        Report r = verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.TILE);
            assertThat(f.path()).isEqualTo("tile/0/000");
            assertThat(f.seq()).isEqualTo(17L);
            assertThat(f.what()).contains("hash 17 of the tile").contains("the tile is wrong");
        });
    }

    @Test
    void aChangedHashInAHigherTileNamesTheTile() throws Exception {
        Path copy = tamperable();
        Path tile;
        try (var s = Files.list(copy.resolve("tile/1"))) {
            tile = s.filter(Files::isRegularFile).findFirst().orElse(null);
        }
        if (tile == null) {
            try (var s = Files.walk(copy.resolve("tile/1"))) {
                tile = s.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
        }
        byte[] t = Files.readAllBytes(tile);
        t[0] ^= 0x40;
        Files.write(tile, t);
        String path = copy.relativize(tile).toString();

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.TILE);
            assertThat(f.path()).isEqualTo(path);
            assertThat(f.what()).contains("hash 0 of the tile (over entries 0..255)");
        });
    }

    @Test
    void aChangedRegionTotalNamesRegionContestAndField() throws Exception {
        Path copy = tamperable();
        RegionTree tree = live.election.tree();
        String code = tree.code(tree.child(RegionTree.ROOT, 0));
        Path doc = copy.resolve("api/v1/regions/" + code + "/ppwp.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(doc));
        long valid = n.get("totals").get("valid").asLong();
        ((ObjectNode) n.get("totals")).put("valid", valid + 1000);
        Files.write(doc, Json.MAPPER.writeValueAsBytes(n));

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.DOCUMENT);
            assertThat(f.path()).isEqualTo("api/v1/regions/" + code + "/ppwp.json");
            assertThat(f.region()).isEqualTo(code);
            assertThat(f.contest()).isEqualTo("ppwp");
            assertThat(f.field()).isEqualTo("totals.valid");
            assertThat(f.expected()).isEqualTo(Long.toString(valid));
            assertThat(f.found()).isEqualTo(Long.toString(valid + 1000));
        });
    }

    @Test
    void aChangedChildNumberNamesTheChild() throws Exception {
        Path copy = tamperable();
        Path doc = copy.resolve("api/v1/regions/0/ppwp.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(doc));
        ObjectNode child = (ObjectNode) n.get("children").get(1);
        String code = child.get("code").asText();
        var choices = (com.fasterxml.jackson.databind.node.ArrayNode) child.get("choices");
        long before = choices.get(0).asLong();
        choices.set(0, before + 7);
        Files.write(doc, Json.MAPPER.writeValueAsBytes(n));

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.region()).isEqualTo("0");
            assertThat(f.contest()).isEqualTo("ppwp");
            assertThat(f.field()).isEqualTo("children[" + code + "].choices[0]");
            assertThat(f.expected()).isEqualTo(Long.toString(before));
        });
    }

    @Test
    void aChangedNumberInACsvRowNamesTheTps() throws Exception {
        Path copy = tamperable();
        Path csv = copy.resolve("api/v1/download/0/ppwp.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int valid = header.indexOf("valid");
        int row = 1;
        while (!lines.get(row).split(",", -1)[4].equals("counted")) row++;
        String[] cells = lines.get(row).split(",", -1);
        String tps = cells[1];
        String before = cells[valid];
        cells[valid] = Long.toString(Long.parseLong(before) + 1);
        lines.set(row, String.join(",", cells));
        Files.write(csv, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.DOWNLOAD);
            assertThat(f.path()).isEqualTo("api/v1/download/0/ppwp.csv");
            assertThat(f.region()).isEqualTo(tps);
            assertThat(f.contest()).isEqualTo("ppwp");
            assertThat(f.field()).isEqualTo("valid");
            assertThat(f.expected()).isEqualTo(before);
            assertThat(f.what()).contains("TPS " + tps);
        });
    }

    @Test
    void aChangedNumberInAJsonDownloadRowNamesTheTps() throws Exception {
        Path copy = tamperable();
        Path json = copy.resolve("api/v1/download/0/ppwp.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(json));
        int valid = 0;
        while (!n.get("columns").get(valid).asText().equals("valid")) valid++;
        var rows = (com.fasterxml.jackson.databind.node.ArrayNode) n.get("rows");
        int row = 0;
        while (!rows.get(row).get(4).asText().equals("counted")) row++;
        var cells = (com.fasterxml.jackson.databind.node.ArrayNode) rows.get(row);
        String tps = cells.get(1).asText();
        long before = cells.get(valid).asLong();
        cells.set(valid, before + 1);
        Files.write(json, Json.MAPPER.writeValueAsBytes(n));

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.DOWNLOAD);
            assertThat(f.path()).isEqualTo("api/v1/download/0/ppwp.json");
            assertThat(f.region()).isEqualTo(tps);
            assertThat(f.field()).isEqualTo("valid");
            assertThat(f.expected()).isEqualTo(Long.toString(before));
            assertThat(f.found()).isEqualTo(Long.toString(before + 1));
        });
    }

    @Test
    void documentsAndDownloadsSpelledOtherwiseButEqualHoldFieldByField() throws Exception {
        Path copy = tamperable();
        RegionTree tree = live.election.tree();
        String code = tree.code(tree.child(RegionTree.ROOT, 0));
        // The same JSON, pretty-printed and with the fields in another order: not the bytes the fast path expects.
        for (String path : List.of("api/v1/regions/" + code + "/ppwp.json", "api/v1/regions/" + code + ".json")) {
            Path doc = copy.resolve(path);
            ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(doc));
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.reverse(names);
            ObjectNode reordered = Json.MAPPER.createObjectNode();
            for (String name : names) reordered.set(name, n.get(name));
            Files.write(doc, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reordered));
        }
        // The JSON download is read as a stream (columns before rows): only its spacing changes.
        Path json = copy.resolve("api/v1/download/" + code + "/ppwp.json");
        Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                Json.MAPPER.readTree(Files.readAllBytes(json))));
        // A CSV may quote any cell (RFC 4180).
        Path csv = copy.resolve("api/v1/download/" + code + "/ppwp.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        String[] cells = lines.get(1).split(",", -1);
        cells[1] = "\"" + cells[1] + "\"";
        lines.set(1, String.join(",", cells));
        Files.write(csv, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));

        Report r = verify(copy);
        assertThat(r.findings()).as(String.join("\n", r.lines(20))).isEmpty();
        assertThat(r.checkedLines()).anyMatch(l -> l.startsWith("election.json, every region's contest list")
                && l.endsWith(", 3 field by field)"));
        assertThat(r.checkedLines()).anyMatch(l -> l.startsWith("CSV and JSON downloads") && l.endsWith(", 2 field by field)"));
    }

    @Test
    void aChangedAtLogSizeBeyondTheSnapshotIsNamed() throws Exception {
        Path copy = tamperable();
        Path doc = copy.resolve("api/v1/regions/0/ppwp.json");
        String text = Files.readString(doc);
        String changed = text.replaceFirst("\"changedAtLogSize\":\\d+", "\"changedAtLogSize\":" + (size + 1));
        assertThat(changed).isNotEqualTo(text);
        Files.writeString(doc, changed);

        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.DOCUMENT);
            assertThat(f.path()).isEqualTo("api/v1/regions/0/ppwp.json");
            assertThat(f.field()).isEqualTo("changedAtLogSize");
            assertThat(f.found()).isEqualTo(Long.toString(size + 1));
        });
    }

    @Test
    void aDroppedEntryNamesTheBundleAndTheSeq() throws Exception {
        Path copy = tamperable();
        Path bundle = copy.resolve("tile/entries/000");
        List<byte[]> entries = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(bundle)));
        int k = sheetEntry(2);
        entries.remove(k);
        Files.write(bundle, EntryBundle.encode(entries));

        Report r = verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(findings(r, Check.BUNDLE)).anySatisfy(f -> {
            assertThat(f.path()).isEqualTo("tile/entries/000");
            assertThat(f.what()).contains("short");
            assertThat(f.found()).isEqualTo("255 entries");
        }).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo((long) k);
            assertThat(f.what()).isEqualTo("entry " + k + " is missing from the bundle");
        });
        assertThat(findings(r, Check.BUNDLE)).hasSize(2);
        assertThat(findings(r, Check.ROOT)).hasSize(1);
        assertThat(findings(r, Check.ENTRY)).as("the other entries are lined up with their tile hashes").isEmpty();
    }

    @Test
    void aDroppedEntryAtTheEndOfThePartialBundleIsNamed() throws Exception {
        Path copy = tamperable();
        int width = (int) (size % 256);
        Path bundle = copy.resolve("tile/entries/001.p/" + width);
        List<byte[]> entries = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(bundle)));
        entries.removeLast();
        Files.write(bundle, EntryBundle.encode(entries));

        Report r = verify(copy);
        assertThat(findings(r, Check.BUNDLE)).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo(size - 1);
            assertThat(f.path()).isEqualTo("tile/entries/001.p/" + width);
        });
    }

    /** A checkpoint of the same size over other entries, signed with the log's real key. */
    private static byte[] forkedCheckpoint() {
        List<byte[]> leaves = new ArrayList<>();
        for (long i = 0; i < size; i++) leaves.add(MerkleHash.leaf(("forged entry " + i).getBytes(StandardCharsets.UTF_8)));
        Checkpoint fork = Checkpoint.of(honest.origin(), size, MerkleTree.rootOf(leaves));
        return Checkpoints.sign(fork, live.signer);
    }

    @Test
    void aForkedTreeSignedWithTheRealKeyFailsOnTheRoot() throws Exception {
        Path copy = tamperable();
        Files.write(copy.resolve("checkpoint"), forkedCheckpoint());

        Report r = verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(findings(r, Check.SIGNATURE)).as("the signature itself is genuine").isEmpty();
        assertThat(findings(r, Check.ROOT)).singleElement().satisfies(f -> {
            assertThat(f.what()).contains("the checkpoint signs another tree");
            assertThat(f.found()).isEqualTo(java.util.Base64.getEncoder().encodeToString(honest.rootHash()));
        });
    }

    @Test
    void aForkedTreeAfterAnHonestRunIsReportedAsAFork() throws Exception {
        Path state = dir.resolve("state.json");
        Path copy = tamperable();
        assertThat(verify(copy.toString(), state).findings()).isEmpty();
        byte[] remembered = Files.readAllBytes(state);

        Files.write(copy.resolve("checkpoint"), forkedCheckpoint());
        Report r = verify(copy.toString(), state);
        assertThat(findings(r, Check.CONSISTENCY)).singleElement().satisfies(f -> {
            assertThat(f.what()).startsWith("FORK: the log signs a different tree of size " + size);
            assertThat(f.expected()).isEqualTo(java.util.Base64.getEncoder().encodeToString(honest.rootHash()));
        });
        assertThat(Files.readAllBytes(state)).as("the state keeps the honest checkpoint").isEqualTo(remembered);
    }

    /**
     * What an insider holding the log's key could publish: the entries as given, with every entry bundle, hash tile and
     * a checkpoint recomputed and signed to match them (and no proofs).
     */
    private static void republishLog(Path copy, List<byte[]> entries) throws Exception {
        org.rekap.ledger.InMemoryHashStore store = new org.rekap.ledger.InMemoryHashStore();
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] e : entries) leaves.add(MerkleHash.leaf(e));
        store.putAll(new MerkleTree(store, 0).hashesToAppend(leaves));
        for (org.rekap.ledger.Tile t : org.rekap.ledger.TileLayout.entryBundles(entries.size())) {
            int first = (int) (t.index() * 256);
            Files.write(copy.resolve(t.path()), EntryBundle.encode(entries.subList(first, first + t.width())));
        }
        for (org.rekap.ledger.Tile t : org.rekap.ledger.TileLayout.hashTiles(entries.size()))
            Files.write(copy.resolve(t.path()), org.rekap.ledger.TileLayout.hashTile(store, t));
        Checkpoint c = Checkpoint.of(honest.origin(), entries.size(), new MerkleTree(store, entries.size()).root());
        Files.write(copy.resolve("checkpoint"), Checkpoints.sign(c, live.signer));
        try (var s = Files.walk(copy.resolve("api/v1/proof"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static List<byte[]> allEntries(Path copy) throws Exception {
        List<byte[]> out = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(copy.resolve("tile/entries/000"))));
        out.addAll(EntryBundle.decode(Files.readAllBytes(copy.resolve("tile/entries/001.p/" + (size % 256)))));
        return out;
    }

    @Test
    void aSheetNotSignedByItsDeviceIsNamedEvenWhenTheLogIsConsistentlyResigned() throws Exception {
        Path copy = tamperable();
        List<byte[]> entries = allEntries(copy);
        int k = sheetEntry(3);
        String entry = new String(entries.get(k), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"invalid\":(\\d+)").matcher(entry);
        assertThat(m.find()).isTrue();
        String forged = entry.substring(0, m.start(1)) + (Long.parseLong(m.group(1)) + 1) + entry.substring(m.end(1));
        entries.set(k, forged.getBytes(StandardCharsets.UTF_8));
        republishLog(copy, entries);

        Report r = verify(copy);
        assertThat(findings(r, Check.ROOT)).as("the tree is consistent with the forged entry").isEmpty();
        assertThat(findings(r, Check.TILE)).isEmpty();
        assertThat(findings(r, Check.ENTRY)).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo((long) k);
            assertThat(f.field()).isEqualTo("signature");
            assertThat(f.what()).startsWith("the sheet's signature is not device ");
        });
    }

    @Test
    void aSheetFromADeviceOfAnotherTpsIsNamed() throws Exception {
        Path copy = tamperable();
        List<byte[]> entries = allEntries(copy);
        // Swap the device fields of two sheets of different TPS: each is now signed by the other TPS's device.
        int a = sheetEntry(0), b = -1;
        String ea = new String(entries.get(a), StandardCharsets.UTF_8);
        java.util.regex.Pattern device = java.util.regex.Pattern.compile("\"device\":\"([0-9a-f]+)\"");
        java.util.regex.Matcher ma = device.matcher(ea);
        assertThat(ma.find()).isTrue();
        String da = ma.group(1), db = null;
        for (int i = a + 1; i < entries.size() && b < 0; i++) {
            String e = new String(entries.get(i), StandardCharsets.UTF_8);
            java.util.regex.Matcher mb = device.matcher(e);
            if (e.contains("\"type\":\"sheet\"") && mb.find() && !mb.group(1).equals(da)) {
                b = i;
                db = mb.group(1);
            }
        }
        entries.set(a, ea.replace(da, db).getBytes(StandardCharsets.UTF_8));
        republishLog(copy, entries);

        Report r = verify(copy);
        assertThat(findings(r, Check.ENTRY)).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo((long) a);
            assertThat(f.what()).contains("wrong_tps");
        }).anySatisfy(f -> {
            assertThat(f.seq()).isEqualTo((long) a);
            assertThat(f.field()).isEqualTo("signature");
        });
    }

    @Test
    void aDocumentMissingFromTheCopyIsNamed() throws Exception {
        Path copy = tamperable();
        Files.delete(copy.resolve("api/v1/regions/0/ppwp.json"));
        Report r = verify(copy);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("api/v1/regions/0/ppwp.json");
            assertThat(f.what()).contains("missing");
        });
    }

    // ------------------------------------------------------------------ the command

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theCommandExitsZeroOnlyWhenEverythingHolds() throws Exception {
        Run ok = cli("verify", site.toString(), "--state", dir.resolve("cli.json").toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("NOT CHECKED  who was entitled to enrol a device")
                .contains("OK: everything checked holds");

        Path copy = tamperable();
        Path csv = copy.resolve("api/v1/download/0/ppwp.csv");
        String text = Files.readString(csv);
        Files.writeString(csv, text.replaceFirst(",counted,(\\d+),", ",counted,9$1,"));
        Run bad = cli("verify", copy.toString(), "--state", dir.resolve("cli2.json").toString(), "--max-findings", "5");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("Findings (what, where, expected, found):")
                .containsPattern("DOWNLOAD +api/v1/download/0/ppwp.csv region \\S+ contest ppwp field dpt: TPS \\S+: dpt differs")
                .contains("FAILED: 1 finding (DOWNLOAD 1)");
    }

    @Test
    void anUnreachableServerOrABadArgumentExitsTwoSayingWhatToDo() {
        Run down = cli("verify", "http://127.0.0.1:1/", "--state", dir.resolve("x.json").toString());
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.err()).contains("cannot connect to http://127.0.0.1:1/").contains("check that the server is running");

        Run ftp = cli("verify", "ftp://example.org/");
        assertThat(ftp.exit()).isEqualTo(2);
        assertThat(ftp.err()).contains("only http:// and https://");

        Run nowhere = cli("verify", dir.resolve("no-such-dir").toString());
        assertThat(nowhere.exit()).isEqualTo(2);
        assertThat(nowhere.err()).contains("neither a URL");

        Run key = cli("verify", site.toString(), "--key", "not-a-key");
        assertThat(key.exit()).isEqualTo(2);
        assertThat(key.err()).contains("--key");

        Run notRekap = cli("verify", dir.toString());
        assertThat(notRekap.exit()).isEqualTo(2);
        assertThat(notRekap.err()).contains("is this the base URL of a Rekap site");
    }

    @Test
    void helpShowsExamples() {
        Run help = cli("verify", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Examples:").contains("rekap verify http://localhost:8080/").contains("--full")
                .contains("--max-findings").contains("--state").contains("--key");
    }
}
