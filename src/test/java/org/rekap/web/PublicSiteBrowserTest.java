package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;

/**
 * The public results site in a real headless Chromium against a real server: drill down from the nation to a TPS
 * comparing every number shown with the API's, switch to English, sort the children table (and keep the order across an
 * automatic refresh), verify a TPS's sheet against the signed checkpoint in the browser, download a CSV, and take
 * screenshots at phone and desktop widths.
 */
class PublicSiteBrowserTest {
    private static final int BUDGET = 100 * 1024;

    @TempDir
    Path dir;

    private static SystemChromium chromium;
    private static Browser browser;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() throws Exception {
        printSiteSize();
        chromium = SystemChromium.launch();
        browser = chromium.browser;
    }

    @AfterAll
    static void close() {
        if (chromium != null) chromium.close();
    }

    private static BrowserContext context(int width, int height, boolean mobile) {
        return browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height).setIsMobile(mobile).setHasTouch(mobile).setLocale("id-ID"));
    }

    @Test
    void aReaderDrillsDownSortsSwitchesLanguageVerifiesAndDownloads() throws Exception {
        long started = System.nanoTime();
        try (LiveElection live = new LiveElection(dir, 5, Duration.ofMillis(20));
             BrowserContext desktop = context(1280, 900, false)) {
            RegionTree tree = live.election.tree();
            Contest ppwp = live.election.election().contest("ppwp");
            // Every PPWP sheet but the last: the last one comes in later, while the page is open.
            int last = tree.size() - 1;
            for (int t = tree.regionCount(); t < last; t++) submit(live, t, ppwp);
            long size = waitForSnapshot(live);
            step(started, "election of " + (tree.size() - tree.regionCount()) + " TPS, log size " + size + " published");

            Page page = desktop.newPage();
            page.setDefaultTimeout(15_000);
            List<String> errors = new ArrayList<>();
            page.onPageError(errors::add);
            page.navigate(live.uri("/").toString());

            // Nation -> province -> ... -> village, by clicking; each level's numbers equal the API's.
            Path shots = Path.of(System.getProperty("rekap.screenshots", "target/screenshots"));
            Files.createDirectories(shots);
            JsonNode doc = checkRegion(live, page, "0");
            PlaywrightAssertions.assertThat(page.locator("#map rect")).hasCount(38);
            PlaywrightAssertions.assertThat(page.locator("#logsize")).hasText(String.format("%,d", size).replace(',', '.'));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-national-desktop.png")).setFullPage(true));
            List<String> visited = new ArrayList<>();
            while (!doc.get("children").get(0).get("level").asText().equals("tps")) {
                JsonNode child = doc.get("children").get(0);
                page.locator("#children tbody a", new Page.LocatorOptions().setHasText(child.get("name").asText())).first().click();
                doc = checkRegion(live, page, child.get("code").asText());
                visited.add(child.get("code").asText());
                if (visited.size() == 1) {
                    page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-province-desktop.png")).setFullPage(true));
                }
            }
            String village = visited.get(visited.size() - 1);
            step(started, "drilled down " + visited + ": every level equals the API");

            // English, persisted across a reload; then back to Bahasa Indonesia.
            PlaywrightAssertions.assertThat(page.locator("#lang")).hasText("English");
            page.click("#lang");
            PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", "en");
            PlaywrightAssertions.assertThat(page.locator("#children-title")).hasText("Polling stations");
            PlaywrightAssertions.assertThat(page.locator("#progress-text")).containsText("Polling stations in");
            page.reload();
            PlaywrightAssertions.assertThat(page.locator("#children-title")).hasText("Polling stations");
            PlaywrightAssertions.assertThat(page.locator("#lang")).hasText("Bahasa Indonesia");
            page.click("#lang");
            PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", "id");
            PlaywrightAssertions.assertThat(page.locator("#children-title")).hasText("TPS");
            step(started, "switched to English and back");

            // Sort the village's TPS by valid votes (mouse), then by name (keyboard).
            Locator validHeader = page.locator("#children th:has(button[data-sort=valid])");
            page.click("#children button[data-sort=valid]");
            PlaywrightAssertions.assertThat(validHeader).hasAttribute("aria-sort", "descending");
            List<Long> valid = column(page, -1);
            assertThat(valid).isSortedAccordingTo(Comparator.reverseOrder());
            page.click("#children button[data-sort=valid]");
            PlaywrightAssertions.assertThat(validHeader).hasAttribute("aria-sort", "ascending");
            assertThat(column(page, -1)).isSorted();
            page.focus("#children button[data-sort=name]");
            page.keyboard().press("Enter");
            PlaywrightAssertions.assertThat(page.locator("#children th:has(button[data-sort=name])")).hasAttribute("aria-sort", "ascending");
            page.click("#children button[data-sort=c0]");
            PlaywrightAssertions.assertThat(page.locator("#children th:has(button[data-sort=c0])")).hasAttribute("aria-sort", "descending");
            List<Long> first = column(page, 2);
            assertThat(first).isSortedAccordingTo(Comparator.reverseOrder());
            step(started, "sorted by valid votes, name and choice 1: " + first);

            // The last sheet arrives: the page refreshes in place, keeps the sort and does not scroll.
            page.evaluate("window.scrollTo(0, 200)");
            Object scrollBefore = page.evaluate("window.scrollY");
            submit(live, last, ppwp);
            long newSize = waitForSnapshot(live);
            PlaywrightAssertions.assertThat(page.locator("#logsize")).hasText(String.format("%,d", newSize).replace(',', '.'),
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(15_000));
            assertThat(column(page, 2)).isSortedAccordingTo(Comparator.reverseOrder());
            PlaywrightAssertions.assertThat(page.locator("#children th:has(button[data-sort=c0])")).hasAttribute("aria-sort", "descending");
            assertThat(page.evaluate("window.scrollY")).isEqualTo(scrollBefore);
            page.evaluate("window.scrollTo(0, 0)");
            doc = checkRegion(live, page, village);
            step(started, "refreshed to log size " + newSize + ": order and scroll kept");

            // A counted TPS: its sheet as the API has it, verified against the signed checkpoint in the browser.
            JsonNode tps = null;
            for (JsonNode c : doc.get("children")) if (c.get("status").asText().equals("counted")) { tps = c; break; }
            assertThat(tps).as("a counted TPS in " + village).isNotNull();
            String tpsCode = tps.get("code").asText();
            page.locator("#children tbody a", new Page.LocatorOptions().setHasText(tps.get("name").asText())).first().click();
            page.waitForURL("**#/tps/" + tpsCode + "/ppwp");
            JsonNode detail = api(live, "/api/v1/tps/" + tpsCode + "/ppwp.json");
            PlaywrightAssertions.assertThat(page.locator("#tps-status")).containsText("Masuk dalam hitungan");
            PlaywrightAssertions.assertThat(page.locator("#tps-sheet tr.valid td")).hasText(dots(detail.get("sheet").get("valid").asLong()));
            Locator votes = page.locator("#tps-sheet tr.vote td");
            PlaywrightAssertions.assertThat(votes).hasCount(ppwp.choices().size());
            for (int i = 0; i < ppwp.choices().size(); i++) {
                assertThat(number(votes.nth(i).textContent())).isEqualTo(detail.get("sheet").get("votes").get(i).get("total").asLong());
            }
            PlaywrightAssertions.assertThat(page.locator("#tps-versions li")).hasCount(detail.get("versions").size());
            page.click("#verify");
            PlaywrightAssertions.assertThat(page.locator("#verify-result")).containsText("Terverifikasi");
            PlaywrightAssertions.assertThat(page.locator("#verify-result")).containsText("#" + detail.get("seq").asLong());
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-tps-desktop.png")).setFullPage(true));
            step(started, "TPS " + tpsCode + " shown as the API has it and verified in the browser: "
                    + page.locator("#verify-result").textContent());

            // The download link of the region shown answers a CSV.
            String href = page.locator("#csv-download").getAttribute("href");
            URI csvUri = URI.create(page.url()).resolve(href);
            HttpResponse<String> csv = http.send(HttpRequest.newBuilder(csvUri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
            assertThat(csv.body()).startsWith("contest,tps,").contains(tpsCode);
            step(started, "downloaded " + csvUri.getPath() + ": " + csv.body().lines().count() + " lines");
            assertThat(errors).isEmpty();

            // The same pages on a phone.
            try (BrowserContext phone = context(390, 844, true)) {
                Page p = phone.newPage();
                p.setDefaultTimeout(15_000);
                p.onPageError(errors::add);
                p.navigate(live.uri("/").toString());
                checkRegion(live, p, "0");
                p.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-national-phone.png")).setFullPage(true));
                p.navigate(live.uri("/#/wilayah/" + visited.get(0) + "/ppwp").toString());
                checkRegion(live, p, visited.get(0));
                p.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-province-phone.png")).setFullPage(true));
                assertThat((Boolean) p.evaluate("() => { const w = document.querySelector('#children-section .table-wrap');"
                        + " return w.scrollWidth <= w.clientWidth; }")).as("the children table fits a phone's width").isTrue();
                p.navigate(live.uri("/#/tps/" + tpsCode + "/ppwp").toString());
                p.click("#verify");
                PlaywrightAssertions.assertThat(p.locator("#verify-result")).containsText("Terverifikasi");
                p.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("public-tps-phone.png")).setFullPage(true));
                assertThat((Boolean) p.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
                        .as("no sideways scrolling of the whole page on a phone").isTrue();
            }
            assertThat(errors).isEmpty();
            step(started, "screenshots in " + shots.toAbsolutePath());
        }
        System.out.printf("PublicSiteBrowserTest: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Waits until the page shows region {@code code} and checks its totals and children against the API. */
    private JsonNode checkRegion(LiveElection live, Page page, String code) throws Exception {
        JsonNode doc = api(live, "/api/v1/regions/" + code + "/ppwp.json");
        PlaywrightAssertions.assertThat(page.locator("#region-name")).hasText(doc.get("region").get("name").asText());
        JsonNode totals = doc.get("totals");
        Locator shown = page.locator("#choices .n");
        PlaywrightAssertions.assertThat(shown).hasCount(totals.get("choices").size());
        for (int i = 0; i < totals.get("choices").size(); i++) {
            PlaywrightAssertions.assertThat(shown.nth(i)).containsText(dots(totals.get("choices").get(i).asLong()) + " (");
        }
        PlaywrightAssertions.assertThat(page.locator("#sums")).containsText("Suara sah " + dots(totals.get("valid").asLong()));
        JsonNode p = totals.get("progress");
        PlaywrightAssertions.assertThat(page.locator("#progress-text"))
                .containsText("TPS masuk " + dots(p.get("tpsCounted").asLong()) + " dari " + dots(p.get("tpsTotal").asLong()));
        JsonNode children = doc.get("children");
        Locator rows = page.locator("#children tbody tr");
        PlaywrightAssertions.assertThat(rows).hasCount(children.size());
        List<List<String>> cells = cells(page);
        for (JsonNode c : children) {
            List<String> row = cells.stream().filter(r -> r.get(0).equals(c.get("name").asText())).findFirst().orElseThrow();
            List<Long> expected = new ArrayList<>();
            c.get("choices").forEach(v -> expected.add(v.asLong()));
            expected.add(c.get("valid").asLong());
            assertThat(row.subList(2, row.size()).stream().map(PublicSiteBrowserTest::number).toList()).as(c.get("name").asText())
                    .isEqualTo(expected);
        }
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> cells(Page page) {
        return (List<List<String>>) page.evaluate(
                "() => [...document.querySelectorAll('#children tbody tr')].map(r => [...r.cells].map(c => c.textContent))");
    }

    /** One numeric column of the children table, top to bottom ({@code -1}: the last). */
    private static List<Long> column(Page page, int index) {
        return cells(page).stream().map(r -> number(r.get(index < 0 ? r.size() + index : index))).toList();
    }

    private static long number(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    private static String dots(long n) {
        return String.format("%,d", n).replace(',', '.');
    }

    private void submit(LiveElection live, int t, Contest contest) throws Exception {
        String body = live.submission("pub-" + t + "-" + contest.id(), live.election.sheet(t, contest));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.uri("/api/officer/v1/sheets"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Waits (bounded) until the published snapshot covers the whole log; returns its size. */
    private long waitForSnapshot(LiveElection live) throws Exception {
        long size = live.store.logSize();
        poll(live, "/api/v1/election.json", d -> d.get("logSize").asLong() == size);
        return size;
    }

    private JsonNode poll(LiveElection live, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode d = api(live, path);
            if (done.test(d)) return d;
            assertThat(System.nanoTime()).as("timed out waiting on " + path).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private JsonNode api(LiveElection live, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static void step(long started, String what) {
        System.out.printf("  %6.2f s  %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** The public site's JavaScript and CSS as served (petugas/ excluded), held to the issue's 100 KB budget. */
    private static void printSiteSize() throws Exception {
        Path web = Path.of(PublicSiteBrowserTest.class.getResource("/web").toURI());
        long total = 0;
        try (Stream<Path> files = Files.list(web)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                long n = Files.size(f);
                System.out.printf("  %-12s %6d bytes%n", name, n);
                if (name.endsWith(".js") || name.endsWith(".css")) total += n;
            }
        }
        System.out.printf("  public site JS+CSS: %d bytes (budget %d)%n", total, BUDGET);
        assertThat(total).isLessThanOrEqualTo(BUDGET);
    }
}
