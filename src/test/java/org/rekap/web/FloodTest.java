package org.rekap.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.generate.Scale;
import org.rekap.reliability.Flood;

/**
 * The short flood of the test suite: abusers, slowloris, readers and officers at once against the production limits.
 * Latency ratios are the benchmark's business (bench/flood.sh); here: readers are served, officers keep submitting,
 * and the attackers are held off.
 */
class FloodTest {
    @TempDir
    Path dir;

    @Test
    void readersAndOfficersAreServedWhileAbusersAndSlowlorisAreHeldOff() throws Exception {
        Flood flood = new Flood(16, 100, 4, 4, 8, 100, Duration.ofSeconds(4));
        List<Flood.Phase> phases = FloodRun.run(dir, Scale.SMALL, flood);
        phases.forEach(System.out::println);
        Flood.Phase baseline = phases.get(0), attack = phases.get(1);
        assertThat(baseline.readerSuccess()).isGreaterThanOrEqualTo(0.99);
        assertThat(attack.readerSuccess()).as(attack.toString()).isGreaterThanOrEqualTo(0.99);
        assertThat(attack.readerRequests()).isGreaterThan(100);
        assertThat(attack.sheetsAccepted()).as(attack.toString()).isEqualTo(attack.sheetsSent()).isGreaterThan(20);
        assertThat(attack.abuser429()).as("abusers were told to wait").isGreaterThan(0);
        var limits = org.rekap.guard.GuardLimits.publicSide();
        long budget = 4L * (limits.burst() + limits.requestsPerSecond() * flood.phase().toSeconds());
        assertThat(attack.abuserRequests() - attack.abuser429()).as("abusers (4 addresses) served within their budget")
                .isLessThanOrEqualTo(budget);
    }
}
