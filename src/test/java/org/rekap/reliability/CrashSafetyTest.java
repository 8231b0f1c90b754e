package org.rekap.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.generate.Scale;

/**
 * The fast part of the crash harness (the full run is {@code bench/crash.sh}, see docs/reliability.md): three SIGKILLs
 * of a real {@code rekap serve} process during submission, each once a random number of sheets is acknowledged, on
 * the small election.
 */
class CrashSafetyTest {
    @Test
    @Timeout(240)
    void killedServerKeepsEveryAcknowledgedSheetAndEveryCheckpoint(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CrashHarness.Options options = new CrashHarness.Options(3, 11, Scale.SMALL, 0, 16, Duration.ZERO, Duration.ZERO,
                15, 60, 30, 10, false, Duration.ofMillis(50), dir);
        CrashHarness.Summary s = new CrashHarness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String output = log.toString(StandardCharsets.UTF_8) + String.join("\n", s.lines());
        System.out.println(output); // the trial lines, as bench/crash.sh prints them

        assertThat(s.problems()).as(output).isEmpty();
        assertThat(s.lost()).isZero();
        assertThat(s.badEntries()).isZero();
        assertThat(s.recountMismatches()).isZero();
        assertThat(s.inconsistentCheckpoints()).isZero();
        assertThat(s.notKilled()).isZero();
        assertThat(s.verified()).as(output).isTrue();
        // Each trial had sheets acknowledged before its kill, and the restarts were audited against them.
        assertThat(s.acknowledged()).as(output).isGreaterThanOrEqualTo(3 * 15);
        assertThat(s.replays()).isEqualTo(3 * 10);
        assertThat(s.checkpointsSeen()).as(output).isGreaterThan(3);
        assertThat(s.lateEnrolled()).as(output).isPositive();
    }
}
