package org.rekap.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.generate.ElectionFiles;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rekap generate}: writes a deterministic synthetic election (regions, contests, optionally every sheet). */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a synthetic election (same seed, same bytes).",
            "Into a directory: regions.csv (the region tree with each TPS's "
                    + "DPT), contests.json (PPWP, DPR and DPD contests) and, with --sheets, sheets.jsonl (one tally "
                    + "sheet, C.Hasil, per TPS per contest, as canonical JSON, one per line).",
            "About 1%% of the sheets break a consistency rule the way real ones do: a misread digit (17 read as 817), a "
                    + "total off by a few, or L + P not adding up. The same scale and seed always give the same bytes.",
            "National scale has the 2024 counts: 38 provinsi, 514 kabupaten/kota, 7,277 kecamatan, 83,731 "
                    + "kelurahan/desa, 820,161 TPS, 84 DPR dapils (2,460,483 sheets)."
        },
        footer = {
            "",
            "Examples:",
            "  # a small election to read by hand, with its 300 sheets",
            "  rekap generate --sheets --out /tmp/small",
            "  # one province: 20,000 TPS and about 60,000 sheets",
            "  rekap generate --scale province --sheets --out /tmp/province",
            "  # the national region tree and contests in a few seconds",
            "  rekap generate --scale national --seed 1 --out /tmp/national",
            "  rekap import --data ./data --regions /tmp/small/regions.csv --contests /tmp/small/contests.json"
        })
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--scale", defaultValue = "small", converter = ScaleConverter.class, paramLabel = "SCALE",
            description = "small, province or national (default: ${DEFAULT-VALUE})")
    Scale scale;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "the same seed gives the same files (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into (created if missing; files of the same names are replaced)")
    Path out;

    @Option(names = "--sheets", description = "also write sheets.jsonl: every TPS's sheet for every contest it votes in")
    boolean sheets;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        SyntheticElection e = SyntheticElection.of(scale, seed);
        double built = seconds(start);
        Progress progress = sheets ? new Progress("sheets", e.sheetCount()) : null;
        ElectionFiles.Written written;
        try {
            written = ElectionFiles.write(e, out, sheets, progress == null ? null : progress::add);
        } catch (IOException ex) {
            throw new IOException(describe(ex), ex);
        }
        if (progress != null) progress.finish();
        double total = seconds(start);
        var stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "Wrote \"%s\" into %s in %.1f s (built in %.1f s)%n",
                e.setup().name(), out.toAbsolutePath(), total, built);
        stdout.printf(Locale.ROOT, "  %-14s %s%n", ElectionFiles.REGIONS, regions(e.tree()));
        stdout.printf(Locale.ROOT, "  %-14s %s%n", ElectionFiles.CONTESTS, contests(e));
        if (sheets)
            stdout.printf(Locale.ROOT, "  %-14s %,d sheets, %,d anomalous (%.2f%%)%n", ElectionFiles.SHEETS, written.sheets(),
                    written.anomalous(), written.sheets() == 0 ? 0.0 : 100.0 * written.anomalous() / written.sheets());
        else
            stdout.printf(Locale.ROOT, "  %-14s not written (add --sheets for %,d sheets)%n", ElectionFiles.SHEETS, e.sheetCount());
        stdout.flush();
        return 0;
    }

    private static String regions(RegionTree tree) {
        StringJoiner levels = new StringJoiner(", ");
        tree.levelCounts().forEach((level, n) -> levels.add(String.format(Locale.ROOT, "%,d %s", n, level)));
        int max = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) max = Math.max(max, tree.dpt(t));
        long dpt = tree.dptTotal(RegionTree.ROOT);
        return String.format(Locale.ROOT, "%s; DPT %,d (mean %.1f, max %d per TPS)", levels, dpt,
                tree.tpsCount() == 0 ? 0.0 : (double) dpt / tree.tpsCount(), max);
    }

    private static String contests(SyntheticElection e) {
        Map<ContestKind, long[]> byKind = new EnumMap<>(ContestKind.class); // contests, choices, candidates
        for (Contest c : e.election().contests()) {
            long[] n = byKind.computeIfAbsent(c.kind(), k -> new long[3]);
            n[0]++;
            n[1] += c.choices().size();
            n[2] += c.candidateCount();
        }
        StringJoiner out = new StringJoiner(", ", e.election().contests().size() + " contests: ", "");
        byKind.forEach((kind, n) -> out.add(String.format(Locale.ROOT, "%,d %s (%,d choices%s)", n[0], kind.id(), n[1],
                kind.partyList() ? String.format(Locale.ROOT, ", %,d candidates", n[2]) : "")));
        return out.toString();
    }

    private String describe(IOException ex) {
        String where = ex instanceof FileSystemException f && f.getFile() != null ? f.getFile() : out.toString();
        String why = switch (ex) {
            case AccessDeniedException a -> "permission denied";
            case FileAlreadyExistsException a -> "a file (not a directory) is in the way";
            case NoSuchFileException a -> "no such file or directory";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> ex.getMessage() == null ? ex.toString() : ex.getMessage();
        };
        return "cannot write the election to " + out + ": " + where + ": " + why;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static final class ScaleConverter implements CommandLine.ITypeConverter<Scale> {
        @Override
        public Scale convert(String value) {
            try {
                return Scale.parse(value);
            } catch (IllegalArgumentException ex) {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
