package org.rekap.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How big a synthetic election is. {@link #NATIONAL} has exactly the counts of Pemilu 2024 (38 provinsi, 514
 * kabupaten/kota, 7,277 kecamatan, 83,731 kelurahan/desa, 820,161 domestic TPS, 84 DPR dapils); {@link #PROVINCE} is one
 * large province; {@link #SMALL} is small enough to read by hand and adds a shallower overseas branch
 * (luar negeri, then PPLN, then TPS).
 */
public enum Scale {
    SMALL(List.of("11", "12"), 4, 8, 24, 96, 2, true),
    PROVINCE(List.of("32"), 18, 250, 2_600, 20_000, 3, false),
    NATIONAL(List.of("11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
            "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
            "91", "92", "93", "94", "95", "96"), 514, 7_277, 83_731, 820_161, 84, false);

    private final List<String> provinceCodes;
    private final int kabupatenKota;
    private final int kecamatan;
    private final int kelurahanDesa;
    private final int tps;
    private final int dprDapils;
    private final boolean overseas;

    Scale(List<String> provinceCodes, int kabupatenKota, int kecamatan, int kelurahanDesa, int tps, int dprDapils,
            boolean overseas) {
        this.provinceCodes = provinceCodes;
        this.kabupatenKota = kabupatenKota;
        this.kecamatan = kecamatan;
        this.kelurahanDesa = kelurahanDesa;
        this.tps = tps;
        this.dprDapils = dprDapils;
        this.overseas = overseas;
    }

    /** Two-digit province codes as Kemendagri numbers them (11 ACEH ... 96). */
    public List<String> provinceCodes() { return provinceCodes; }
    public int provinces() { return provinceCodes.size(); }
    public int kabupatenKota() { return kabupatenKota; }
    public int kecamatan() { return kecamatan; }
    public int kelurahanDesa() { return kelurahanDesa; }
    /** Domestic TPS; the overseas branch, when there is one, adds {@link #overseasTps()} more. */
    public int tps() { return tps; }
    /** Domestic DPR electoral districts; the overseas branch adds one. */
    public int dprDapils() { return dprDapils; }
    public boolean overseas() { return overseas; }
    public int overseasTps() { return overseas ? SyntheticRegions.PPLN.length * SyntheticRegions.TPS_PER_PPLN : 0; }

    /** The name used on the command line: {@code small}, {@code province}, {@code national}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static Scale parse(String id) {
        for (Scale s : values()) if (s.id().equalsIgnoreCase(id.strip())) return s;
        throw new IllegalArgumentException("unknown scale '" + id + "', expected one of "
                + String.join(", ", Arrays.stream(values()).map(Scale::id).toList()));
    }
}
