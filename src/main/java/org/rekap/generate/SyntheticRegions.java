package org.rekap.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;

/**
 * Builds the region rows of a synthetic election: provinsi, kabupaten/kota, kecamatan, kelurahan/desa and TPS with
 * their DPT, coded like Kemendagri codes ({@code 32}, {@code 32.04}, {@code 32.04.12}, {@code 32.04.12.2003},
 * {@code 32.04.12.2003.007}). Counts per level are exact; they are spread over parents by seeded log-normal weights,
 * every parent getting at least one child. Rows come out in code order, parents before children.
 */
final class SyntheticRegions {
    static final String PROVINSI = "provinsi";
    static final String KABUPATEN_KOTA = "kabupaten_kota";
    static final String KECAMATAN = "kecamatan";
    static final String KELURAHAN_DESA = "kelurahan_desa";
    static final String LUAR_NEGERI = "luar_negeri";
    static final String PPLN_LEVEL = "ppln";
    static final String OVERSEAS_CODE = "99";
    static final String[] PPLN = {"KUALA LUMPUR", "HONG KONG"};
    static final int TPS_PER_PPLN = 3;

    /** Share of kabupaten/kota that are cities (93 of 514 in 2024); all their villages are kelurahan. */
    private static final double KOTA_SHARE = 0.18;
    /** Share of villages in a kabupaten that are kelurahan rather than desa. */
    private static final double KELURAHAN_SHARE = 0.06;
    /** Share of villages with special TPS numbered from 901 (hospitals, prisons), as in the real list. */
    private static final double SPECIAL_TPS_SHARE = 0.008;
    /** DPT of an ordinary TPS is 200..299: mean 249.5, close to 2024's 204,807,222 / 820,161 = 249.7. */
    private static final int DPT_MIN = 200;
    private static final int DPT_SPAN = 100;

    private static final String[] TPS_NAMES = new String[1000];

    private SyntheticRegions() {}

    static List<Region> build(Scale scale, long seed) {
        SplittableRandom shape = Seeds.random(seed, "wilayah", scale.id());
        SplittableRandom names = Seeds.random(seed, "nama", scale.id());
        SplittableRandom dpt = Seeds.random(seed, "dpt", scale.id());
        boolean even = scale == Scale.SMALL; // the small tree is regular so that a reader can check it by hand

        List<String> provinces = scale.provinceCodes();
        int[] kabPerProv = Apportion.largestRemainder(scale.kabupatenKota(), weights(shape, provinces.size(), even ? 0 : 0.6), 1);
        // Kabupaten are numbered 01.., kota 71.. (as Kemendagri does), so codes in order list kabupaten first.
        int kabTotal = scale.kabupatenKota();
        String[] kabCode = new String[kabTotal];
        String[] kabName = new String[kabTotal];
        boolean[] kota = new boolean[kabTotal];
        int[] kabProv = new int[kabTotal];
        for (int p = 0, k = 0; p < provinces.size(); p++) {
            int n = kabPerProv[p];
            int cities = 0;
            for (int i = 0; i < n; i++) if (n > 1 && shape.nextDouble() < KOTA_SHARE) cities++;
            int kabupaten = n - cities;
            int firstCity = Math.max(71, kabupaten + 1);
            for (int i = 0; i < n; i++, k++) {
                kota[k] = i >= kabupaten;
                int number = kota[k] ? firstCity + (i - kabupaten) : i + 1;
                kabCode[k] = provinces.get(p) + "." + two(number);
                kabName[k] = (kota[k] ? "KOTA " : "") + Names.place(names);
                kabProv[k] = p;
            }
        }
        int[] kecPerKab = Apportion.largestRemainder(scale.kecamatan(), weights(shape, kabTotal, even ? 0 : 0.5), 1);
        int kecTotal = scale.kecamatan();
        int[] kecKab = new int[kecTotal];
        for (int k = 0, c = 0; k < kabTotal; k++) for (int i = 0; i < kecPerKab[k]; i++) kecKab[c++] = k;
        int[] desaPerKec = Apportion.largestRemainder(scale.kelurahanDesa(), weights(shape, kecTotal, even ? 0 : 0.5), 1);

        // Villages: kelurahan (1001..) before desa (2001..) within a kecamatan; urban kelurahan get more TPS, and so do
        // villages of densely populated provinces (Java's villages have several times the TPS of Papua's).
        double[] density = weights(shape, provinces.size(), even ? 0 : 0.4);
        int desaTotal = scale.kelurahanDesa();
        boolean[] kelurahan = new boolean[desaTotal];
        double[] tpsWeight = new double[desaTotal];
        for (int c = 0, d = 0; c < kecTotal; c++) {
            boolean city = kota[kecKab[c]];
            int n = desaPerKec[c];
            int urban = 0;
            if (city) urban = n;
            else for (int i = 0; i < n; i++) if (shape.nextDouble() < KELURAHAN_SHARE) urban++;
            for (int i = 0; i < n; i++, d++) {
                kelurahan[d] = i < urban;
                tpsWeight[d] = Seeds.logNormal(shape, 0.6) * (kelurahan[d] ? 1.8 : 1.0) * density[kabProv[kecKab[c]]];
            }
        }
        int[] tpsPerDesa = Apportion.largestRemainder(scale.tps(), tpsWeight, even ? 2 : 1);

        int rowCount = provinces.size() + kabTotal + kecTotal + desaTotal + scale.tps() + (scale.overseas() ? 40 : 0);
        List<Region> rows = new ArrayList<>(rowCount);
        int kab = 0, kec = 0, desa = 0;
        for (int p = 0; p < provinces.size(); p++) {
            String provCode = provinces.get(p);
            rows.add(new Region(provCode, "", PROVINSI, Names.province(names), 0));
            for (; kab < kabTotal && kabProv[kab] == p; kab++) {
                rows.add(new Region(kabCode[kab], provCode, KABUPATEN_KOTA, kabName[kab], 0));
                for (int kk = 0; kk < kecPerKab[kab]; kk++, kec++) {
                    String kecCode = kabCode[kab] + "." + two(kk + 1);
                    rows.add(new Region(kecCode, kabCode[kab], KECAMATAN, Names.place(names), 0));
                    int nextKelurahan = 1001, nextDesa = 2001;
                    for (int dd = 0; dd < desaPerKec[kec]; dd++, desa++) {
                        String desaCode = kecCode + "." + (kelurahan[desa] ? nextKelurahan++ : nextDesa++);
                        rows.add(new Region(desaCode, kecCode, KELURAHAN_DESA, Names.place(names), 0));
                        addTps(rows, desaCode, tpsPerDesa[desa], shape, dpt);
                    }
                }
            }
        }
        if (scale.overseas()) {
            rows.add(new Region(OVERSEAS_CODE, "", LUAR_NEGERI, "LUAR NEGERI", 0));
            for (int i = 0; i < PPLN.length; i++) {
                String ppln = OVERSEAS_CODE + "." + two(i + 1);
                rows.add(new Region(ppln, OVERSEAS_CODE, PPLN_LEVEL, PPLN[i], 0));
                addTps(rows, ppln, TPS_PER_PPLN, null, dpt);
            }
        }
        return rows;
    }

    /** TPS 1..n of one village; in a few villages the last one or two are special TPS numbered 901, 902. */
    private static void addTps(List<Region> rows, String parent, int n, SplittableRandom shape, SplittableRandom dpt) {
        int special = 0;
        if (shape != null && n >= 3 && n < 900 && shape.nextDouble() < SPECIAL_TPS_SHARE) special = 1 + shape.nextInt(2);
        for (int i = 0; i < n; i++) {
            boolean isSpecial = i >= n - special;
            int number = isSpecial ? 901 + i - (n - special) : i + 1;
            int voters = isSpecial ? 30 + dpt.nextInt(150) : DPT_MIN + dpt.nextInt(DPT_SPAN);
            rows.add(new Region(TpsNumbers.tpsCode(parent, number), parent, RegionTree.TPS_LEVEL, tpsName(number), voters));
        }
    }

    /** The name RegionCsv gives a TPS it reads, so that a written and re-read tree is the same tree. */
    private static String tpsName(int number) {
        if (number >= TPS_NAMES.length) return "TPS " + number;
        String s = TPS_NAMES[number];
        if (s == null) TPS_NAMES[number] = s = "TPS " + number; // a benign race: equal strings
        return s;
    }

    private static double[] weights(SplittableRandom r, int n, double sigma) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = Seeds.logNormal(r, sigma);
        return w;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
