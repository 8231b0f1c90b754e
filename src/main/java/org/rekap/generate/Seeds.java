package org.rekap.generate;

import java.util.SplittableRandom;

/**
 * Seeds derived from a master seed and names (a TPS code, a contest id), so that every random choice depends only on
 * what it is about and never on the order of calls. Floating point goes through {@link StrictMath} so that the same
 * seed gives the same numbers on every JVM.
 */
final class Seeds {
    private Seeds() {}

    /** The 64-bit finaliser of MurmurHash3: every input bit flips about half of the output bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** A seed for the thing named {@code name} under {@code seed}: FNV-1a over the characters, then mixed. */
    static long derive(long seed, String name) {
        long h = mix64(seed + 0x9E3779B97F4A7C15L);
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0x100000001b3L;
        return mix64(h ^ name.length());
    }

    static long derive(long seed, String a, String b) {
        return derive(derive(seed, a), b);
    }

    static SplittableRandom random(long seed, String a, String b) {
        return new SplittableRandom(derive(seed, a, b));
    }

    /** A standard normal deviate (Box-Muller, one of the pair). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** A log-normal weight with median 1; {@code sigma} 0 gives exactly 1. */
    static double logNormal(SplittableRandom r, double sigma) {
        return sigma == 0 ? 1.0 : StrictMath.exp(sigma * gaussian(r));
    }
}
