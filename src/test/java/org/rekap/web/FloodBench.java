package org.rekap.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.rekap.generate.Scale;
import org.rekap.reliability.Flood;

/**
 * The flood benchmark of bench/flood.sh: a province election, 20 s of baseline then 20 s of attack, figures printed.
 * Arguments: [phase seconds] [readers] [abuser threads] [slowloris connections].
 */
public final class FloodBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int abusers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int slowloris = args.length > 3 ? Integer.parseInt(args[3]) : 400;
        Flood flood = new Flood(readers, 50, 8, 5, abusers, slowloris, Duration.ofSeconds(seconds));
        System.out.printf("flood: %d readers (one address each, a document every 50 ms), officers from 8 addresses at "
                + "5 sheets/s each, %d abusive threads on 4 addresses, %d slowloris connections on 8 addresses; "
                + "%d s per phase%n", readers, abusers, slowloris, seconds);
        Path dir = Files.createTempDirectory("rekap-flood");
        List<Flood.Phase> phases = FloodRun.run(dir, Scale.PROVINCE, flood);
        phases.forEach(System.out::println);
        Flood.Phase base = phases.get(0), attack = phases.get(1);
        System.out.printf("readers under attack: %.2f%% ok (goal >= 99%%), p99 %.1f ms = %.2fx the baseline's %.1f ms "
                + "(goal <= 3x)%n", 100 * attack.readerSuccess(), attack.p99Micros() / 1e3,
                (double) attack.p99Micros() / Math.max(1, base.p99Micros()), base.p99Micros() / 1e3);
        System.out.printf("officers under attack: %.1f sheets/s accepted = %.2fx the baseline's %.1f (goal 1x), "
                + "%d of %d accepted%n", attack.sheetsPerSecond(), attack.sheetsPerSecond() / Math.max(0.001,
                base.sheetsPerSecond()), base.sheetsPerSecond(), attack.sheetsAccepted(), attack.sheetsSent());
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }
}
