package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.rekap.codec.CanonicalJson;
import org.rekap.codec.Json;
import org.rekap.codec.SignedPayloads;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Contest;
import org.rekap.ledger.Role;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.Rule;
import org.rekap.sheet.SheetCounts;
import org.rekap.sheet.TallySheet;
import org.rekap.store.EnrolmentCode;
import org.rekap.store.PhotoStore;

/**
 * The officer web app at /petugas/ in a real headless Chromium against a real server: enrol with a printed code, copy
 * a C.Hasil, see a broken rule while typing, attach a photo, sign and submit while offline, reload while offline, come
 * back online, and the sheet lands exactly once, signed by the browser's non-extractable Ed25519 key.
 */
class OfficerAppBrowserTest {
    private static final int BUDGET = 40 * 1024;

    @TempDir
    Path dir;

    private static SystemChromium chromium;
    private static Browser browser;
    private static long launched;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() throws Exception {
        long t0 = System.nanoTime();
        printAppSize();
        chromium = SystemChromium.launch();
        browser = chromium.browser;
        launched = System.nanoTime() - t0;
    }

    @AfterAll
    static void close() {
        if (chromium != null) chromium.close();
    }

    private static BrowserContext phone() {
        return browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(390, 844).setIsMobile(true).setHasTouch(true).setLocale("id-ID"));
    }

    @Test
    void anOfficerSubmitsOfflineAndTheSheetLandsExactlyOnceWhenBackOnline() throws Exception {
        long started = System.nanoTime() - launched;
        try (LiveElection live = new LiveElection(dir, 11, Duration.ofMillis(20)); BrowserContext context = phone()) {
            step(started, "server and Chromium " + browser.version() + " up");
            Contest ppwp = live.election.election().contest("ppwp");
            int t = live.election.tree().regionCount();
            while (!ConsistencyRules.check(live.election.sheet(t, ppwp)).isEmpty()) t++;
            String tps = live.election.tree().code(t);
            String code = EnrolmentCodes.generate();
            live.store.issueCodes(List.of(new EnrolmentCode(EnrolmentCodes.hash(code), Role.OFFICER, tps,
                    Instant.now().plusSeconds(3600))));

            Page page = context.newPage();
            page.setDefaultTimeout(15_000);
            List<String> pageErrors = new ArrayList<>();
            page.onPageError(pageErrors::add);
            page.navigate(live.uri("/petugas/").toString());

            // Enrol: a wrong code is refused in Indonesian, the printed one enrols the browser's key for the TPS, once.
            page.fill("#code", "AAAA-BBBB-CCCC");
            page.click("#enrol-form button");
            PlaywrightAssertions.assertThat(page.locator("#enrol-msg")).containsText("Kode tidak dikenal");
            page.fill("#code", code.toLowerCase());
            page.click("#enrol-form button");
            PlaywrightAssertions.assertThat(page.locator("#tps")).hasText(tps);
            long afterEnrol = live.store.logSize();
            try (BrowserContext otherPhone = phone()) {
                Page other = otherPhone.newPage();
                other.navigate(live.uri("/petugas/").toString());
                other.fill("#code", code);
                other.click("#enrol-form button");
                PlaywrightAssertions.assertThat(other.locator("#enrol-msg")).containsText("Kode ini sudah dipakai");
            }
            assertThat(live.store.logSize()).isEqualTo(afterEnrol);
            step(started, "enrolled for TPS " + tps + " (log size " + afterEnrol + ")");

            // Fill the form with a correct sheet: no broken rule is listed.
            page.selectOption("#contest", "ppwp");
            TallySheet sheet = live.election.sheet(t, ppwp);
            AtomicInteger filled = new AtomicInteger();
            SheetCounts.forEach(sheet, (field, value) -> {
                Locator input = page.locator("input[name=\"" + field + "\"]");
                if (input.count() == 0) {
                    // A pair has one number on paper; the app writes it as the choice's own votes and its total.
                    assertThat(field).matches("votes\\[\\d+]\\.total");
                    return;
                }
                input.fill(Integer.toString(value));
                filled.incrementAndGet();
            });
            assertThat(filled.get()).isEqualTo(24 + 4 + ppwp.choices().size() + 3);
            PlaywrightAssertions.assertThat(page.locator("#problems li[data-rule]")).hasCount(0);
            PlaywrightAssertions.assertThat(page.locator("#problems")).containsText("Semua angka konsisten");

            // A wrong total shows its rule while typing, and the warning goes once it is fixed.
            page.fill("input[name=\"valid\"]", Integer.toString(sheet.valid() + 1));
            PlaywrightAssertions.assertThat(page.locator("#problems li[data-rule=\"valid_sum\"]"))
                    .containsText("Suara sah = jumlah suara semua pilihan");
            PlaywrightAssertions.assertThat(page.locator("#problems")).containsText("perlu diperiksa");
            PlaywrightAssertions.assertThat(page.locator("input[name=\"valid\"]")).hasAttribute("aria-invalid", "true");
            page.fill("input[name=\"valid\"]", Integer.toString(sheet.valid()));
            PlaywrightAssertions.assertThat(page.locator("#problems li[data-rule]")).hasCount(0);
            step(started, "form filled, a broken rule shown and cleared");

            // A photo of the sheet, hashed in the browser.
            byte[] png = png("C.HASIL " + tps);
            String sha = PhotoStore.sha256(png);
            page.setInputFiles("#photo", new FilePayload("c-hasil-1.png", "image/png", png));
            PlaywrightAssertions.assertThat(page.locator("#photos li")).hasCount(1);
            PlaywrightAssertions.assertThat(page.locator("#photos li code")).hasText(sha.substring(0, 12) + "…");

            // Into target/ by default; -Drekap.screenshots=docs/screenshots refreshes the committed ones.
            Path shots = Path.of(System.getProperty("rekap.screenshots", "target/screenshots"));
            Files.createDirectories(shots);
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("petugas-form.png")).setFullPage(true));

            // The app opens with no connection only once its service worker holds the app's files.
            page.waitForFunction("async () => !!navigator.serviceWorker.controller"
                    + " && (await (await caches.open('petugas-v1')).keys()).length >= 5");

            // Offline: the signed sheet waits in the outbox and nothing reaches the server.
            context.setOffline(true);
            PlaywrightAssertions.assertThat(page.locator("#net")).hasClass("net off");
            page.click("#send");
            Locator item = page.locator("#queue > li");
            PlaywrightAssertions.assertThat(item).hasCount(1);
            PlaywrightAssertions.assertThat(item).hasAttribute("data-state", "waiting");
            PlaywrightAssertions.assertThat(item.locator(".state")).hasText("menunggu");
            page.waitForFunction("() => Number(document.querySelector('#queue > li')?.dataset.attempts) >= 1");
            assertThat(live.store.logSize()).isEqualTo(afterEnrol);
            assertThat(get(live, "/photos/" + sha).statusCode()).isEqualTo(404);
            step(started, "submitted offline: waiting, sender tried, log size unchanged");

            // A reload with no connection: the app comes from the service worker, the outbox from IndexedDB.
            page.reload();
            PlaywrightAssertions.assertThat(page.locator("#tps")).hasText(tps);
            PlaywrightAssertions.assertThat(item).hasCount(1);
            PlaywrightAssertions.assertThat(item).hasAttribute("data-state", "waiting");
            PlaywrightAssertions.assertThat(page.locator("#contest option[value=\"ppwp\"]")).containsText("✓");
            assertThat(live.store.logSize()).isEqualTo(afterEnrol);
            step(started, "reloaded offline: the queued sheet survived");

            // Online again: the sender delivers it, and the app shows it counted.
            context.setOffline(false);
            PlaywrightAssertions.assertThat(item).hasAttribute("data-state", "counted",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            PlaywrightAssertions.assertThat(item.locator(".state")).hasText("terkirim: dihitung");
            step(started, "back online: delivered");

            // Exactly one sheet entry (a 201 means the server checked the browser's signature over its own encoding).
            assertThat(live.store.logSize()).isEqualTo(afterEnrol + 1);
            TallySheet expected = new TallySheet(sheet.tps(), sheet.contest(), sheet.registered(), sheet.voted(),
                    sheet.ballots(), sheet.votes(), sheet.valid(), sheet.invalid(), sheet.cast(), List.of(sha));
            JsonNode detail = poll(live, "/api/v1/tps/" + tps + "/ppwp.json", d -> !"none".equals(d.path("status").asText()));
            assertThat(detail.get("status").asText()).isEqualTo("counted");
            assertThat(detail.get("versions")).hasSize(1);
            assertThat(detail.get("sheet")).isEqualTo(SheetJson.write(expected));
            HttpResponse<byte[]> photo = http.send(HttpRequest.newBuilder(live.uri("/photos/" + sha)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(photo.statusCode()).isEqualTo(200);
            assertThat(photo.body()).isEqualTo(png);

            // The browser's own submission sent again (as a lost answer would make it) is stored once.
            String again = (String) page.evaluate("() => new Promise((ok, ko) => {"
                    + " const r = indexedDB.open('rekap-petugas');"
                    + " r.onerror = () => ko(r.error);"
                    + " r.onsuccess = () => { const g = r.result.transaction('queue').objectStore('queue').getAll();"
                    + "  g.onsuccess = () => { const i = g.result[0];"
                    + "   ok(JSON.stringify({submissionId: i.id, sheet: i.sheet, device: i.device, signature: i.sig})); }; }; })");
            HttpResponse<String> retry = http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets"))
                    .POST(HttpRequest.BodyPublishers.ofString(again)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
            assertThat(Json.MAPPER.readTree(retry.body()).get("seq").asLong()).isEqualTo(afterEnrol);
            assertThat(live.store.logSize()).isEqualTo(afterEnrol + 1);
            assertThat(poll(live, "/api/v1/tps/" + tps + "/ppwp.json", d -> true).get("versions")).hasSize(1);
            assertThat(pageErrors).isEmpty();
            step(started, "exactly one sheet in the log, equal to the paper");
        }
        System.out.printf("OfficerAppBrowserTest: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * The app's copy of the rules and of canonical JSON, run in the browser over many synthetic sheets (anomalies
     * included) of every contest kind, gives the same broken rules on the same fields as ConsistencyRules, and the same
     * bytes to sign as SignedPayloads.
     */
    @Test
    void theAppsRulesAndSignedBytesAreTheServers() throws Exception {
        try (LiveElection live = new LiveElection(dir, 5, Duration.ofMillis(20)); BrowserContext context = phone()) {
            Page page = context.newPage();
            page.navigate(live.uri("/petugas/").toString());
            RegionTree tree = live.election.tree();
            ArrayNode sheets = Json.MAPPER.createArrayNode();
            List<TallySheet> all = new ArrayList<>();
            Random random = new Random(7);
            Set<Rule> broken = EnumSet.noneOf(Rule.class);
            for (int t = tree.regionCount(); t < tree.size(); t++)
                for (Contest c : live.election.election().contestsAt(t)) {
                    // Each sheet as generated, and again with a few counts miscopied (17 -> 817, a dropped digit, -1).
                    for (TallySheet s : List.of(live.election.sheet(t, c), miscopied(live.election.sheet(t, c), random))) {
                        ConsistencyRules.check(s).forEach(v -> broken.add(v.rule()));
                        all.add(s);
                        sheets.add(SheetJson.write(s));
                    }
                }
            assertThat(broken).as("rules broken among %d sheets", all.size()).containsExactlyInAnyOrder(Rule.values());
            JsonNode got = Json.MAPPER.readTree((String) page.evaluate("async sheets => {"
                    + " const m = await import('./sheet.js');"
                    + " return JSON.stringify(sheets.map(s => ({rules: m.check(s).map(v => v.rule + ' ' + v.field),"
                    + "   signed: m.canonical(m.sheetPayload('sub-1:a.b_c', s))})));"
                    + "}", Json.MAPPER.convertValue(sheets, List.class)));
            for (int i = 0; i < all.size(); i++) {
                TallySheet s = all.get(i);
                List<String> rules = ConsistencyRules.check(s).stream().map(v -> v.rule().id() + " " + v.field()).toList();
                assertThat(Json.MAPPER.convertValue(got.get(i).get("rules"), List.class)).as(s.tps() + " " + s.contest())
                        .isEqualTo(rules);
                assertThat(got.get(i).get("signed").asText()).as(s.tps() + " " + s.contest())
                        .isEqualTo(new String(SignedPayloads.sheet("sub-1:a.b_c", s), StandardCharsets.UTF_8));
            }
            // Escapes and key order (UTF-16 code units, so U+1F600 sorts before U+FFFF) as the server writes them.
            String tricky = "{\"\\uffff\":1,\"\\ud83d\\ude00\":[\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f/\\u2028é😀\"],"
                    + "\"b\":{\"z\":-3,\"Z\":0,\"aa\":null,\"a\":true},\"\":\"\"}";
            String js = (String) page.evaluate("async t => (await import('./sheet.js')).canonical(JSON.parse(t))", tricky);
            assertThat(js).isEqualTo(new String(CanonicalJson.write(Json.MAPPER.readTree(tricky)), StandardCharsets.UTF_8));
        }
    }

    /** The sheet with one to three counts miscopied. */
    private static TallySheet miscopied(TallySheet s, Random random) {
        List<String> fields = new ArrayList<>();
        SheetCounts.forEach(s, (f, v) -> fields.add(f));
        ObjectNode o = SheetJson.write(s);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            String[] path = fields.get(random.nextInt(fields.size())).split("\\.");
            JsonNode node = o;
            for (int i = 0; i < path.length; i++) {
                String p = path[i];
                int bracket = p.indexOf('[');
                String name = bracket < 0 ? p : p.substring(0, bracket);
                int index = bracket < 0 ? -1 : Integer.parseInt(p.substring(bracket + 1, p.length() - 1));
                if (i == path.length - 1) {
                    int old = (index < 0 ? node.get(name) : node.get(name).get(index)).intValue();
                    int value = switch (random.nextInt(4)) {
                        case 0 -> old + 800;
                        case 1 -> old / 10;
                        case 2 -> -1;
                        default -> old + 1 + random.nextInt(5);
                    };
                    if (index < 0) ((ObjectNode) node).put(name, value);
                    else ((ArrayNode) node.get(name)).set(index, value);
                } else {
                    node = index < 0 ? node.get(name) : node.get(name).get(index);
                }
            }
        }
        return SheetJson.read(o, "sheet").sheet();
    }

    private static void step(long started, String what) {
        System.out.printf("  %6.2f s  %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** The app's own bytes as served (HTML, CSS, JavaScript), held to a budget fit for a slow phone line. */
    private static void printAppSize() throws Exception {
        Path app = Path.of(OfficerAppBrowserTest.class.getResource("/web/petugas").toURI());
        long total = 0;
        try (Stream<Path> files = Files.list(app)) {
            for (Path f : files.sorted().toList()) {
                long n = Files.size(f);
                total += n;
                System.out.printf("  petugas/%-12s %6d bytes%n", f.getFileName(), n);
            }
        }
        System.out.printf("  petugas/ total      %6d bytes (budget %d)%n", total, BUDGET);
        assertThat(total).as("the officer app's size in bytes").isLessThan(BUDGET);
    }

    private HttpResponse<String> get(LiveElection live, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(live.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a public document until it satisfies the condition (the publisher runs every 20 ms here). */
    private JsonNode poll(LiveElection live, String path, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> r = get(live, path);
            if (r.statusCode() == 200) {
                JsonNode d = Json.MAPPER.readTree(r.body());
                if (done.test(d)) return d;
            }
            if (System.nanoTime() > deadline) throw new AssertionError(path + " never became ready: " + r.body());
            Thread.sleep(20);
        }
    }

    /** A small PNG standing in for a camera photo of a sheet page. */
    private static byte[] png(String text) throws Exception {
        BufferedImage img = new BufferedImage(240, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0xf4f1e8));
        g.fillRect(0, 0, 240, 160);
        g.setColor(Color.DARK_GRAY);
        for (int y = 40; y < 160; y += 16) g.drawLine(12, y, 228, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(text, 12, 24);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
