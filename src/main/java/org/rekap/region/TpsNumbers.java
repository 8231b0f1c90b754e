package org.rekap.region;

import java.util.Arrays;

/** Parses and prints TPS number lists written as space-separated inclusive ranges, e.g. {@code 1-16 901-902}. */
public final class TpsNumbers {
    /** The highest TPS number we accept; real lists stop below 1000 (the 2024 maximum is 950). */
    public static final int MAX_NUMBER = 9999;

    private TpsNumbers() {}

    /** @throws IllegalArgumentException with a message naming the bad part */
    public static int[] parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) return new int[0];
        int[] out = new int[16];
        int n = 0;
        int last = 0;
        for (String part : trimmed.split(" +")) {
            int dash = part.indexOf('-');
            int from = number(part, dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : number(part, part.substring(dash + 1));
            if (to < from) throw new IllegalArgumentException("range '" + part + "' ends before it starts");
            if (from <= last) throw new IllegalArgumentException("range '" + part + "' overlaps or is out of order");
            for (int i = from; i <= to; i++) {
                if (n == out.length) out = Arrays.copyOf(out, n * 2);
                out[n++] = i;
            }
            last = to;
        }
        return Arrays.copyOf(out, n);
    }

    private static int number(String part, String digits) {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new IllegalArgumentException("'" + part + "' is not a TPS number or range like 1-16");
        int v = Integer.parseInt(digits);
        if (v < 1 || v > MAX_NUMBER) throw new IllegalArgumentException("TPS number " + v + " is outside 1.." + MAX_NUMBER);
        return v;
    }

    /** The shortest range form of ascending numbers: {@code [1,2,3,901]} prints as {@code 1-3 901-901}. */
    public static String format(int[] ascending) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ascending.length) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) j++;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(ascending[i]).append('-').append(ascending[j]);
            i = j + 1;
        }
        return sb.toString();
    }

    /** A TPS's code: its parent's code and its number, three digits wide ({@code 32.04.12.2003.007}). */
    public static String tpsCode(String parentCode, int number) {
        return parentCode + "." + (number < 10 ? "00" : number < 100 ? "0" : "") + number;
    }

    /** The number at the end of a TPS code ({@code 32.04.12.2003.007} is 7). */
    public static int numberOf(String tpsCode) {
        return Integer.parseInt(tpsCode.substring(tpsCode.lastIndexOf('.') + 1));
    }

    /** The TPS rows of one parent region, named "TPS n", with their DPT (0 when unknown). */
    public static java.util.List<Region> rows(String parentCode, int[] numbers, int[] dpt) {
        java.util.List<Region> out = new java.util.ArrayList<>(numbers.length);
        for (int k = 0; k < numbers.length; k++)
            out.add(new Region(tpsCode(parentCode, numbers[k]), parentCode, RegionTree.TPS_LEVEL, "TPS " + numbers[k], dpt[k]));
        return out;
    }
}
