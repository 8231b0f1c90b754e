package org.rekap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final Pattern LINE = Pattern.compile("work: ([\\d,]+) / ([\\d,]+) \\(100%\\), ([\\d,]+)/s, ([\\d.]+)s elapsed done");

    @Test
    void workThatBeganEarlierIsTimedFromItsStart() {
        // A phase that ran beside others (the export's log pass) is shown only once the earlier phases are over:
        // its rate must count from when it began, not from when it is shown (which gave rates in the billions).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = new Progress("work", 2_000, out, System.nanoTime() - 20_000_000_000L);
        p.add(2_000);
        p.finish();

        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown.lines()).hasSize(1);
        Matcher m = LINE.matcher(shown.strip());
        assertThat(m.matches()).as(shown).isTrue();
        assertThat(Integer.parseInt(m.group(3).replace(",", ""))).isBetween(50, 100);
        assertThat(Double.parseDouble(m.group(4))).isBetween(20.0, 40.0);
    }

    @Test
    void workStartedNowIsTimedFromNow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress("work", 2_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.add(2_000);
        p.finish();

        Matcher m = LINE.matcher(bytes.toString(StandardCharsets.UTF_8).strip());
        assertThat(m.matches()).isTrue();
        assertThat(Double.parseDouble(m.group(4))).isLessThan(20.0);
    }
}
