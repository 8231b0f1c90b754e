package org.rekap.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;

/**
 * The region CSV (docs/formats.md): {@code code,parent_code,level,name,tps_numbers[,tps_dpt]}. A row's TPS numbers
 * become TPS leaves under it; the optional {@code tps_dpt} gives each one's registered voters in the same order.
 * Reading is all or nothing: every bad line is reported with its number and no row is returned.
 */
public final class RegionCsv {
    public static final String HEADER = "code,parent_code,level,name,tps_numbers";
    public static final String HEADER_WITH_DPT = HEADER + ",tps_dpt";
    /** Generous on purpose: the law caps a TPS at 300 voters in 2024, but the format should outlive that law. */
    public static final int MAX_DPT = 100_000;
    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,39}");
    private static final Pattern LEVEL = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final int MAX_ERRORS = 50;

    private RegionCsv() {}

    public static List<Region> read(BufferedReader in) throws IOException, InvalidInputException {
        List<InputError> errors = new ArrayList<>();
        List<Region> rows = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String header = in.readLine();
        if (header != null && header.startsWith("\uFEFF")) header = header.substring(1);
        boolean withDpt;
        if (HEADER.equals(header)) withDpt = false;
        else if (HEADER_WITH_DPT.equals(header)) withDpt = true;
        else throw new InvalidInputException(List.of(new InputError(1, "the header must be '" + HEADER
                + "' (optionally followed by ',tps_dpt'), got '" + header + "'")));
        int columns = withDpt ? 6 : 5;
        String line;
        int n = 1;
        List<Integer> parentLines = new ArrayList<>();
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) continue;
            if (errors.size() >= MAX_ERRORS) continue;
            List<String> f;
            try {
                f = Csv.split(line);
            } catch (IllegalArgumentException e) {
                errors.add(new InputError(n, e.getMessage()));
                continue;
            }
            if (f.size() != columns) {
                errors.add(new InputError(n, "expected " + columns + " fields, found " + f.size()));
                continue;
            }
            String code = f.get(0), parent = f.get(1), level = f.get(2), name = f.get(3);
            String problem = null;
            if (!CODE.matcher(code).matches()) problem = "code '" + code + "' must be letters, digits, dots or dashes";
            else if (code.equals(RegionTree.ROOT_CODE)) problem = "code " + RegionTree.ROOT_CODE + " is reserved for the root";
            else if (!parent.isEmpty() && !CODE.matcher(parent).matches()) problem = "parent_code '" + parent + "' is not a code";
            else if (parent.equals(code)) problem = "region " + code + " is its own parent";
            else if (!LEVEL.matcher(level).matches()) problem = "level '" + level + "' must be lower-case like kecamatan";
            else if (level.equals(RegionTree.TPS_LEVEL) || level.equals(RegionTree.ROOT_LEVEL))
                problem = "level '" + level + "' is reserved; list TPS in the tps_numbers column";
            else if (name.isBlank()) problem = "name is empty";
            else if (lineOf.containsKey(code)) problem = "code " + code + " already appears on line " + lineOf.get(code);
            if (problem != null) {
                errors.add(new InputError(n, problem));
                continue;
            }
            int[] numbers;
            try {
                numbers = TpsNumbers.parse(f.get(4));
            } catch (IllegalArgumentException e) {
                errors.add(new InputError(n, "tps_numbers: " + e.getMessage()));
                continue;
            }
            int[] dpt = new int[numbers.length];
            if (withDpt) {
                String d = f.get(5).strip();
                String[] parts = d.isEmpty() ? new String[0] : d.split(" +");
                if (parts.length != numbers.length) {
                    errors.add(new InputError(n, "tps_dpt has " + parts.length + " values for " + numbers.length + " TPS"));
                    continue;
                }
                boolean bad = false;
                for (int k = 0; k < parts.length && !bad; k++) {
                    try {
                        dpt[k] = Integer.parseInt(parts[k]);
                        bad = dpt[k] < 0 || dpt[k] > MAX_DPT;
                    } catch (NumberFormatException e) {
                        bad = true;
                    }
                    if (bad) errors.add(new InputError(n, "tps_dpt value '" + parts[k] + "' must be a whole number 0.." + MAX_DPT));
                }
                if (bad) continue;
            }
            lineOf.put(code, n);
            rows.add(new Region(code, parent, level, name, 0));
            parentLines.add(n);
            rows.addAll(TpsNumbers.rows(code, numbers, dpt));
        }
        {
            for (Region r : rows) {
                if (!r.isTps() && !r.parentCode().isEmpty() && !lineOf.containsKey(r.parentCode()))
                    errors.add(new InputError(lineOf.get(r.code()), "parent_code " + r.parentCode() + " is not a region in this file"));
                if (errors.size() >= MAX_ERRORS) break;
            }
        }
        if (n == 1) errors.add(new InputError(0, "the file has a header but no regions"));
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(InputError::line));
            throw new InvalidInputException(errors);
        }
        return rows;
    }

    /** Writes the tree in the same format, TPS folded back into their parents' rows. */
    public static void write(RegionTree tree, Writer out, boolean withDpt) throws IOException {
        out.write(withDpt ? HEADER_WITH_DPT : HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(256);
        int[] numbers = new int[64];
        for (int i = 1; i < tree.regionCount(); i++) {
            int parent = tree.parent(i);
            line.setLength(0);
            line.append(Csv.quote(tree.code(i))).append(',')
                    .append(parent == RegionTree.ROOT ? "" : Csv.quote(tree.code(parent))).append(',')
                    .append(tree.level(i)).append(',').append(Csv.quote(tree.name(i))).append(',');
            int count = 0;
            StringBuilder dpt = new StringBuilder();
            for (int k = 0; k < tree.childCount(i); k++) {
                int c = tree.child(i, k);
                if (!tree.isTps(c)) continue;
                if (count == numbers.length) numbers = java.util.Arrays.copyOf(numbers, count * 2);
                numbers[count++] = TpsNumbers.numberOf(tree.code(c));
                if (!dpt.isEmpty()) dpt.append(' ');
                dpt.append(tree.dpt(c));
            }
            line.append(TpsNumbers.format(java.util.Arrays.copyOf(numbers, count)));
            if (withDpt) line.append(',').append(dpt);
            out.append(line).append('\n');
        }
    }
}
