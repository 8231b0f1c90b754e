package org.rekap.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rekap.region.Region;
import org.rekap.region.TpsNumbers;

/** Folds TPS rows into their parent region (numbers and DPT arrays) and back, for compact storage. */
final class TpsFolding {
    static final int[][] NONE = {new int[0], new int[0]};

    private TpsFolding() {}

    /** Parent code -> {numbers ascending, DPT in the same order}. */
    static Map<String, int[][]> fold(List<Region> rows) {
        Map<String, int[][]> out = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Region r : rows) {
            if (!r.isTps()) continue;
            int[][] a = out.computeIfAbsent(r.parentCode(), k -> new int[][] {new int[8], new int[8]});
            int n = count.merge(r.parentCode(), 1, Integer::sum) - 1;
            if (n == a[0].length) {
                a[0] = Arrays.copyOf(a[0], n * 2);
                a[1] = Arrays.copyOf(a[1], n * 2);
            }
            a[0][n] = TpsNumbers.numberOf(r.code());
            a[1][n] = r.dpt();
        }
        out.replaceAll((code, a) -> sorted(a[0], a[1], count.get(code)));
        return out;
    }

    private static int[][] sorted(int[] numbers, int[] dpt, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Integer.compare(numbers[x], numbers[y]));
        int[][] out = {new int[n], new int[n]};
        for (int i = 0; i < n; i++) {
            out[0][i] = numbers[order[i]];
            out[1][i] = dpt[order[i]];
        }
        return out;
    }

    static String join(int[] values) {
        StringBuilder sb = new StringBuilder(values.length * 4);
        for (int v : values) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(v);
        }
        return sb.toString();
    }

    static int[] split(String text, int expected) {
        int[] out = new int[expected];
        if (text.isEmpty()) return out;
        String[] parts = text.split(" ");
        if (parts.length != expected)
            throw new IllegalStateException("stored DPT list has " + parts.length + " values for " + expected + " TPS");
        for (int i = 0; i < expected; i++) out[i] = Integer.parseInt(parts[i]);
        return out;
    }
}
