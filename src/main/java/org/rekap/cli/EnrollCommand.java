package org.rekap.cli;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rekap.ledger.Role;
import org.rekap.region.RegionTree;
import org.rekap.store.Setup;
import org.rekap.store.ElectionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Issues one-time enrolment codes, written to a CSV for printing and distribution.",
            "Officer codes: one per TPS under --region. Reviewer codes: one per region at --reviewer-level.",
            "A new code for a TPS (or region) replaces its unused earlier one. Only hashes are stored."},
        footer = {"", "Examples:",
            "  rekap enroll --data data --region 32.04 --out codes-32.04.csv",
            "  rekap enroll --data data --role reviewer --reviewer-level kecamatan --out reviewers.csv",
            "  rekap enroll --data data --region 32.04.12.2003.007 --ttl-hours 6 --out replacement.csv"})
final class EnrollCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    DatabaseOption database;

    @Option(names = "--role", defaultValue = "officer", description = "officer or reviewer (default: ${DEFAULT-VALUE})")
    String role;

    @Option(names = "--region", defaultValue = RegionTree.ROOT_CODE, description = "region (or TPS) to issue codes under (default: the whole election)")
    String region;

    @Option(names = "--reviewer-level", defaultValue = "kecamatan", description = "level of reviewers' regions (default: ${DEFAULT-VALUE})")
    String reviewerLevel;

    @Option(names = "--ttl-hours", defaultValue = "72", description = "hours until the codes expire (default: ${DEFAULT-VALUE})")
    long ttlHours;

    @Option(names = "--out", required = true, description = "CSV file to write: role,scope,name,code,expires_at")
    Path out;

    @Override
    public Integer call() throws Exception {
        Role r;
        try {
            r = Role.fromId(role);
        } catch (IllegalArgumentException e) {
            System.err.println("rekap enroll: --role must be officer or reviewer, not '" + role + "'");
            return 2;
        }
        if (Files.exists(out)) {
            System.err.println("rekap enroll: " + out + " exists; choose another --out (codes are shown only once)");
            return 1;
        }
        try (ElectionStore store = database.open(data)) {
            Setup setup = store.loadSetup().orElseThrow(() -> new IllegalArgumentException("no election in "
                    + database.describe(data) + "; run rekap import first"));
            RegionTree tree = setup.election().tree();
            int node = tree.index(region);
            if (node < 0) {
                System.err.println("rekap enroll: no region or TPS has code '" + region + "'");
                return 1;
            }
            List<String> scopes = new ArrayList<>();
            Map<String, String> names = new HashMap<>();
            if (r == Role.OFFICER) {
                int from = tree.isTps(node) ? node : tree.tpsStart(node), to = tree.isTps(node) ? node + 1 : tree.tpsEnd(node);
                for (int t = from; t < to; t++) scopes.add(tree.code(t));
                for (int t = from; t < to; t++) names.put(tree.code(t), tree.name(t) + " " + tree.name(tree.parent(t)));
            } else {
                for (int i = node; i < tree.regionEnd(node); i++) {
                    if (tree.level(i).equals(reviewerLevel)) {
                        scopes.add(tree.code(i));
                        names.put(tree.code(i), tree.name(i));
                    }
                }
            }
            if (scopes.isEmpty()) {
                System.err.println("rekap enroll: nothing to enrol under " + region + " (no TPS, or no region at level " + reviewerLevel + ")");
                return 1;
            }
            Instant expires = Instant.now().plus(Duration.ofHours(ttlHours)).truncatedTo(ChronoUnit.SECONDS);
            Progress progress = new Progress("codes issued", scopes.size());
            Map<String, String> codes = new java.util.LinkedHashMap<>();
            for (int i = 0; i < scopes.size(); i += 10_000) {
                codes.putAll(Codes.issue(store, r, scopes.subList(i, Math.min(scopes.size(), i + 10_000)), expires));
                progress.add(Math.min(10_000, scopes.size() - i));
            }
            progress.finish();
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                Codes.write(w, r, codes, names, expires);
            }
            System.out.printf("Wrote %,d %s codes to %s, valid until %s.%n", codes.size(), r.id(), out, expires);
            return 0;
        }
    }
}
