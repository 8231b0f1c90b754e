package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless, never a browser Playwright would download. A missing Chromium
 * fails the test (it is installed by .ci/run), it never skips it.
 */
final class SystemChromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of(System.getProperty("rekap.chromium", "/usr/bin/chromium"));
    final Playwright playwright;
    final Browser browser;

    private SystemChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static SystemChromium launch() {
        assertThat(Files.isExecutable(EXECUTABLE))
                .withFailMessage("no Chromium at %s: this test needs a real browser (apt-get install chromium)", EXECUTABLE)
                .isTrue();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
        return new SystemChromium(playwright, browser);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
