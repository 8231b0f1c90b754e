package org.rekap.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.region.RegionTree;

/**
 * The contests of a synthetic election, in ballot order: PPWP (3 pairs, the whole tree), then DPR (one per dapil:
 * whole kabupaten/kota of one province, 18 national parties, each listing about as many candidates as the dapil has
 * seats), then DPD (one per province, individual candidates). An overseas branch votes in PPWP and its own DPR dapil,
 * not in DPD.
 */
final class SyntheticContests {
    static final int PAIRS = 3;
    static final int PARTIES = 18;
    static final int MIN_SEATS = 3;
    static final int MAX_SEATS = 10;
    /** 580 DPR seats over 84 dapils in 2024. */
    static final double SEATS_PER_DAPIL = 580.0 / 84;
    /** A party sometimes lists fewer candidates than seats: 9,917 candidates for 18 x 580 = 10,440 places in 2024. */
    private static final double SHORT_LIST_SHARE = 0.22;
    /** 668 DPD candidates over 38 provinces in 2024: 11..24 each, mean 17.5. */
    private static final int DPD_MIN = 11;
    private static final int DPD_SPAN = 14;

    private SyntheticContests() {}

    /** A DPR electoral district before it becomes a contest. */
    private record Dapil(String id, String name, List<String> district, long dpt) {}

    static List<Contest> build(RegionTree tree, Scale scale, long seed) {
        SplittableRandom r = Seeds.random(seed, "kontestasi", scale.id());
        List<Integer> provinces = new ArrayList<>();
        int overseas = -1;
        for (int k = 0; k < tree.childCount(RegionTree.ROOT); k++) {
            int p = tree.child(RegionTree.ROOT, k);
            if (tree.level(p).equals(SyntheticRegions.PROVINSI)) provinces.add(p);
            else if (tree.level(p).equals(SyntheticRegions.LUAR_NEGERI)) overseas = p;
        }
        List<Contest> contests = new ArrayList<>();

        List<Choice> pairs = new ArrayList<>();
        for (int i = 1; i <= PAIRS; i++) pairs.add(new Choice(i, Names.person(r) + " - " + Names.person(r), List.of()));
        contests.add(new Contest("ppwp", ContestKind.PPWP, "Presiden dan Wakil Presiden", List.of(RegionTree.ROOT_CODE), pairs));

        List<Dapil> dapils = dapils(tree, provinces, scale.dprDapils());
        if (overseas >= 0) dapils.add(new Dapil("dpr-" + tree.code(overseas) + "-1", "DPR " + tree.name(overseas),
                List.of(tree.code(overseas)), tree.dptTotal(overseas)));
        double[] size = new double[dapils.size()];
        int[] max = new int[dapils.size()];
        for (int i = 0; i < size.length; i++) {
            size[i] = dapils.get(i).dpt();
            max[i] = MAX_SEATS;
        }
        int totalSeats = (int) Math.round(dapils.size() * SEATS_PER_DAPIL);
        int[] seats = Apportion.sainteLague(totalSeats, size, MIN_SEATS, max);
        String[] parties = Names.parties(r, PARTIES);
        for (int i = 0; i < dapils.size(); i++) {
            Dapil d = dapils.get(i);
            List<Choice> choices = new ArrayList<>(PARTIES);
            for (int p = 0; p < PARTIES; p++) {
                int listed = seats[i];
                if (r.nextDouble() < SHORT_LIST_SHARE) listed = Math.max(1, listed - 1 - r.nextInt(2));
                List<Candidate> candidates = new ArrayList<>(listed);
                for (int c = 1; c <= listed; c++) candidates.add(new Candidate(c, Names.person(r)));
                choices.add(new Choice(p + 1, parties[p], candidates));
            }
            contests.add(new Contest(d.id(), ContestKind.DPR, d.name(), d.district(), choices));
        }

        for (int p : provinces) {
            int n = DPD_MIN + r.nextInt(DPD_SPAN);
            List<Choice> candidates = new ArrayList<>(n);
            for (int c = 1; c <= n; c++) candidates.add(new Choice(c, Names.person(r), List.of()));
            contests.add(new Contest("dpd-" + tree.code(p), ContestKind.DPD, "DPD " + tree.name(p), List.of(tree.code(p)), candidates));
        }
        return contests;
    }

    /**
     * Shares {@code count} dapils over the provinces by Sainte-Laguë on their DPT (at least one each, at most one per
     * kabupaten/kota), then cuts each province's kabupaten/kota, in code order, into that many runs of similar DPT.
     */
    private static List<Dapil> dapils(RegionTree tree, List<Integer> provinces, int count) {
        double[] dpt = new double[provinces.size()];
        int[] max = new int[provinces.size()];
        for (int i = 0; i < dpt.length; i++) {
            dpt[i] = tree.dptTotal(provinces.get(i));
            max[i] = tree.childCount(provinces.get(i));
        }
        int[] perProvince = Apportion.sainteLague(count, dpt, 1, max);
        List<Dapil> out = new ArrayList<>(count + 1);
        for (int i = 0; i < provinces.size(); i++) {
            int p = provinces.get(i);
            int kabs = tree.childCount(p);
            int groups = perProvince[i];
            long left = tree.dptTotal(p);
            int next = 0;
            for (int g = 0; g < groups; g++) {
                int groupsLeft = groups - g;
                List<String> district = new ArrayList<>();
                long sum = 0;
                if (groupsLeft == 1) {
                    for (; next < kabs; next++) {
                        district.add(tree.code(tree.child(p, next)));
                        sum += tree.dptTotal(tree.child(p, next));
                    }
                } else {
                    double target = (double) left / groupsLeft;
                    do {
                        int kab = tree.child(p, next++);
                        district.add(tree.code(kab));
                        sum += tree.dptTotal(kab);
                    } while (next < kabs - (groupsLeft - 1) && sum + tree.dptTotal(tree.child(p, next)) / 2.0 <= target);
                }
                left -= sum;
                String name = "DPR " + tree.name(p) + (groups > 1 ? " " + Names.roman(g + 1) : "");
                out.add(new Dapil("dpr-" + tree.code(p) + "-" + (g + 1), name, district, sum));
            }
        }
        return out;
    }
}
