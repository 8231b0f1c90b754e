package org.rekap.generate;

import java.util.SplittableRandom;

/**
 * Plausible, made-up upper-case names: places built from common Indonesian place-name parts (SUKA-, KARANG-, -JAYA,
 * -REJO) and invented syllables, people from common given names and family names, parties from nature words. None is
 * meant to be a real place, person or party.
 */
final class Names {
    private static final String[] SYLLABLES = {
        "BA", "BU", "DA", "DI", "GA", "GO", "JA", "JO", "KA", "KI", "KU", "LA", "LI", "MA", "ME", "MU", "NA", "NI",
        "NGA", "PA", "PU", "RA", "RE", "RI", "RO", "SA", "SE", "SI", "SU", "TA", "TE", "TI", "TU", "WA", "WI", "YO"
    };
    private static final String[] CODAS = {"", "", "", "N", "NG", "R", "K", "H", "M"};
    private static final String[] PREFIXES = {
        "SUKA", "KARANG", "TANJUNG", "SUMBER", "BANJAR", "PASIR", "MEKAR", "CI", "SIDO", "TELUK", "BUKIT", "SUNGAI",
        "MUARA", "WATU", "KOTA", "PADANG", "LUBUK", "TEGAL", "WONO", "JATI"
    };
    private static final String[] SUFFIXES = {
        "JAYA", "MAKMUR", "SARI", "REJO", "MULYA", "ASRI", "INDAH", "BARU", "HARJO", "AGUNG", "RAYA", "LESTARI",
        "MAJU", "TENGAH", "HILIR", "HULU"
    };
    private static final String[] DIRECTIONS = {"UTARA", "SELATAN", "BARAT", "TIMUR", "TENGAH"};
    private static final String[] GIVEN = {
        "ADI", "AGUS", "ANDI", "ANI", "ARIF", "BAYU", "BUDI", "CAHYA", "DEDI", "DEWI", "DIAN", "EKA", "ELIS", "FAJAR",
        "FITRI", "GILANG", "HADI", "HENDRA", "IKA", "IMAM", "INDAH", "INTAN", "JOKO", "KARTIKA", "LESTARI", "LINDA",
        "MAYA", "MEGA", "NOVI", "NUR", "PUTRI", "RAHMAT", "RATNA", "RINA", "RUDI", "SARI", "SITI", "SRI", "TAUFIK",
        "TUTI", "WAHYU", "WATI", "YANTI", "YUDI", "YULI", "ZAINAL"
    };
    private static final String[] FAMILY = {
        "SANTOSO", "WIBOWO", "HIDAYAT", "SAPUTRA", "LUBIS", "NASUTION", "SIREGAR", "HARAHAP", "PRATAMA", "KUSUMA",
        "SETIAWAN", "GUNAWAN", "HALIM", "RAHMAN", "SUSANTO", "WIJAYA", "HASIBUAN", "TAMBUNAN", "MANURUNG", "RAMADHAN",
        "PURNAMA", "FIRMANSYAH", "HARYANTO", "SULISTYO", "NUGROHO", "UTAMI", "WULANDARI", "PERMANA", "SIAHAAN", "LATIF"
    };
    private static final String[] PARTY_FIRST = {
        "MELATI", "ANGGREK", "KENANGA", "CEMPAKA", "RAJAWALI", "CENDRAWASIH", "KASUARI", "KOMODO", "ELANG", "SAMUDRA",
        "PELANGI", "MENTARI", "EMBUN", "RIMBA", "TERATAI", "KAMBOJA", "MERAPI", "BAHARI", "NUSA", "TUNAS"
    };
    private static final String[] PARTY_SECOND = {
        "RAKYAT", "NUSANTARA", "SEJAHTERA", "MANDIRI", "BERSATU", "MERDEKA", "LESTARI", "MAJU", "BERDAULAT", "ADIL"
    };

    private Names() {}

    /** An invented word of two or three syllables, e.g. KARIMANG. */
    static String word(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = 2 + (r.nextInt(3) == 0 ? 1 : 0);
        for (int i = 0; i < n; i++) sb.append(pick(r, SYLLABLES));
        sb.append(pick(r, CODAS));
        return sb.toString();
    }

    /** A village or district name: SUKAMAKMUR, KARANG BARU, TELUK KARIMANG, LIMURA UTARA. */
    static String place(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> pick(r, PREFIXES) + pick(r, SUFFIXES);
            case 2 -> pick(r, PREFIXES) + " " + pick(r, SUFFIXES);
            case 3 -> pick(r, PREFIXES) + " " + word(r);
            case 4 -> word(r) + " " + pick(r, DIRECTIONS);
            default -> word(r);
        };
    }

    /** A province name: one or two invented words, sometimes with a direction. */
    static String province(SplittableRandom r) {
        String base = r.nextInt(3) == 0 ? word(r) + " " + word(r) : word(r);
        return r.nextInt(3) == 0 ? base + " " + pick(r, DIRECTIONS) : base;
    }

    static String person(SplittableRandom r) {
        return r.nextInt(4) == 0 ? pick(r, GIVEN) : pick(r, GIVEN) + " " + pick(r, FAMILY);
    }

    /** The {@code count} party names of an election, all different: PARTAI MELATI RAKYAT. */
    static String[] parties(SplittableRandom r, int count) {
        String[] first = PARTY_FIRST.clone();
        shuffle(r, first);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            String a = first[i % first.length];
            out[i] = "PARTAI " + a + " " + pick(r, PARTY_SECOND) + (i >= first.length ? " " + roman(i / first.length + 1) : "");
        }
        return out;
    }

    /** Roman numerals as dapil names use them: JAWA BARAT III. */
    static String roman(int n) {
        int[] values = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        String[] symbols = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++)
            while (n >= values[i]) {
                sb.append(symbols[i]);
                n -= values[i];
            }
        return sb.toString();
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static void shuffle(SplittableRandom r, String[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
