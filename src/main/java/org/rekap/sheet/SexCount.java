package org.rekap.sheet;

/** A count split by sex as the form writes it: laki-laki (L), perempuan (P) and their total (jumlah). */
public record SexCount(int l, int p, int total) {
    public static final SexCount ZERO = new SexCount(0, 0, 0);

    public static SexCount of(int l, int p) {
        return new SexCount(l, p, l + p);
    }
}
