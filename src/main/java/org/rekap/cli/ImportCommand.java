package org.rekap.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.InputError;
import org.rekap.codec.InvalidInputException;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Election;
import org.rekap.region.Region;
import org.rekap.store.Setup;
import org.rekap.store.ElectionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports an election's regions (CSV) and contests (JSON) into a data directory.",
            "All or nothing: any bad line is reported with its number and nothing is imported.",
            "Formats: docs/formats.md."},
        footer = {"", "Examples:",
            "  rekap import --regions ../shared/data/wilayah-2024.csv --contests contests.json",
            "  rekap generate --scale province --out /tmp/prov && \\",
            "    rekap import --data /tmp/prov-data --regions /tmp/prov/regions.csv --contests /tmp/prov/contests.json",
            "  rekap import --data /srv/pemilu --db postgresql://rekap@db.internal:5432/pemilu?currentSchema=pemilu2024 \\",
            "    --regions ../shared/data/wilayah-2024.csv --contests contests.json"})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    DatabaseOption database;

    @Option(names = "--regions", required = true, description = "region CSV: code,parent_code,level,name,tps_numbers[,tps_dpt]")
    Path regions;

    @Option(names = "--contests", required = true, description = "contests JSON file")
    Path contests;

    @Option(names = "--origin", description = "origin line of the log's checkpoints when a new signing key is made"
            + " (default: rekap.local/<election name>)")
    String origin;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        Setup setup;
        try {
            setup = read(regions, contests);
        } catch (Refused e) {
            System.err.println("rekap import: nothing was imported.");
            e.lines.forEach(System.err::println);
            System.err.println("Fix the lines above and run the import again.");
            return 1;
        }
        Election election = setup.election();
        try (ElectionStore store = database.open(data)) {
            store.saveSetup(setup);
        } catch (IllegalStateException e) {
            System.err.println("rekap import: " + e.getMessage());
            return 1;
        }
        var signer = LogKeys.loadOrCreate(data.resolve(LogKeys.FILE), origin != null ? origin : LogKeys.defaultOrigin(setup.name()));
        var tree = election.tree();
        System.out.printf("Log signing key %s, verifier key %s%n", data.resolve(LogKeys.FILE), signer.verifier().verifierKey());
        System.out.printf("Imported %s into %s in %.1f s%n", setup.name(), database.describe(data), (System.nanoTime() - t0) / 1e9);
        tree.levelCounts().forEach((level, n) -> System.out.printf("  %-16s %,d%n", level, n));
        System.out.printf("  %-16s %,d%n", "contests", election.contests().size());
        return 0;
    }

    /** Reads and cross-checks both files; every problem comes back as "file:line: message". */
    static Setup read(Path regionsFile, Path contestsFile) throws IOException, Refused {
        ContestsJson.Setup c;
        try {
            c = ContestsJson.read(Files.readAllBytes(contestsFile));
        } catch (InvalidInputException e) {
            throw new Refused(e.errors().stream().map(x -> x.describe(contestsFile.toString())).toList());
        }
        List<Region> rows;
        try (BufferedReader in = Files.newBufferedReader(regionsFile, StandardCharsets.UTF_8)) {
            rows = RegionCsv.read(in);
        } catch (InvalidInputException e) {
            throw new Refused(e.errors().stream().map(x -> x.describe(regionsFile.toString())).toList());
        }
        Setup setup = new Setup(c.name(), c.rootName(), rows, c.contests());
        try {
            setup.election();
        } catch (IllegalArgumentException e) {
            throw new Refused(List.of(new InputError(0, e.getMessage()).describe(regionsFile + " + " + contestsFile)));
        }
        return setup;
    }

    /** The input was refused; {@code lines} say where and why. */
    static final class Refused extends Exception {
        final transient List<String> lines;

        Refused(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = lines;
        }
    }
}
