package org.rekap.generate;

import java.util.Arrays;

/** Splitting a whole number over weighted parts so that the parts add up exactly. */
final class Apportion {
    private Apportion() {}

    /**
     * Largest remainder (Hamilton): every part gets {@code min}, the rest is shared in proportion to the weights, and
     * the units left after rounding down go to the largest fractions (the lower index wins a tie).
     */
    static int[] largestRemainder(long total, double[] weights, int min) {
        int n = weights.length;
        long rest = total - (long) n * min;
        if (n == 0 || rest < 0) throw new IllegalArgumentException("cannot give " + n + " parts at least " + min + " of " + total);
        double sum = 0;
        for (double w : weights) sum += w;
        int[] out = new int[n];
        double[] fraction = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            double quota = sum > 0 ? rest * (weights[i] / sum) : (double) rest / n;
            long whole = (long) StrictMath.floor(quota);
            out[i] = (int) (min + whole);
            fraction[i] = quota - whole;
            given += whole;
        }
        long left = rest - given;
        if (left > 0) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> fraction[a] != fraction[b] ? Double.compare(fraction[b], fraction[a]) : Integer.compare(a, b));
            for (int k = 0; left > 0; k = (k + 1) % n, left--) out[order[k]]++;
        }
        return out;
    }

    /**
     * Highest averages (Sainte-Laguë) with bounds: every part starts at {@code min}; each further unit goes to the part
     * with the largest {@code weight / (2 * units + 1)} that is still below its {@code max}.
     */
    static int[] sainteLague(int total, double[] weights, int min, int[] max) {
        int n = weights.length;
        int[] out = new int[n];
        Arrays.fill(out, min);
        long capacity = 0;
        for (int m : max) capacity += m;
        if ((long) n * min > total || capacity < total)
            throw new IllegalArgumentException("cannot share " + total + " over " + n + " parts within their bounds");
        for (int given = n * min; given < total; given++) {
            int best = -1;
            double bestQuotient = -1;
            for (int i = 0; i < n; i++) {
                if (out[i] >= max[i]) continue;
                double q = weights[i] / (2.0 * out[i] + 1);
                if (q > bestQuotient) {
                    bestQuotient = q;
                    best = i;
                }
            }
            out[best]++;
        }
        return out;
    }
}
