package org.rekap.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.SheetShape;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/**
 * The C.Hasil of one TPS for one contest, a pure function of (seed, TPS code, contest id) and the election's set-up.
 *
 * <p>Voters: the DPT split by sex, a few DPTb (0-5) and DPK (0-3); they are the same on every contest's sheet of a TPS.
 * Turnout is a province level (70-90%) moved by the kabupaten (+-3 points) and the TPS (+-4 points). Ballots received
 * are the DPT, the 2% reserve rounded up, and the DPTb. Invalid votes are 1-4% of those cast. Valid votes follow a
 * preference: log-weights summed over a national level, the province, the kabupaten/kota and the TPS, so provinces
 * have different leaders. A party's votes split into party-only votes (30-50%) and its candidates' votes, skewed to
 * the top of the list. About {@value #ANOMALY_RATE} of sheets carry an {@link Anomaly}.
 */
final class SyntheticSheets {
    static final double ANOMALY_RATE = 0.01;
    private static final double RESERVE = 0.02;

    private final long seed;
    private final RegionTree tree;
    private final Election election;
    private final Map<String, Model> models = new HashMap<>();

    /** How one contest's votes are drawn; the levels are standard deviations of the log-weights. */
    private record Model(Contest contest, String preferenceKey, double[] national, double province, double kabupaten,
            double tps, double[][] candidates) {}

    SyntheticSheets(long seed, Election election) {
        this.seed = seed;
        this.tree = election.tree();
        this.election = election;
        for (Contest c : election.contests()) models.put(c.id(), model(c));
    }

    private Model model(Contest c) {
        int n = c.choices().size();
        // Party strength is national and regional, shared by all DPR dapils; DPD candidates are their province's own.
        String key = c.kind() == ContestKind.DPR ? "dpr" : c.id();
        double nationalSigma, province, kabupaten, tps;
        switch (c.kind()) {
            case PPWP -> { nationalSigma = 0.4; province = 0.6; kabupaten = 0.25; tps = 0.15; }
            case DPR -> { nationalSigma = 0.9; province = 0.5; kabupaten = 0.3; tps = 0.25; }
            default -> { nationalSigma = 0.9; province = 0; kabupaten = 0.35; tps = 0.25; }
        }
        double[] national = new double[n];
        SplittableRandom r = Seeds.random(seed, RegionTree.ROOT_CODE, "preferensi/" + key);
        for (int i = 0; i < n; i++) national[i] = nationalSigma * Seeds.gaussian(r);
        double[][] candidates = new double[n][];
        for (int i = 0; i < n; i++) {
            Choice choice = c.choices().get(i);
            candidates[i] = new double[choice.candidates().size()];
            SplittableRandom cr = Seeds.random(seed, c.id(), "caleg/" + choice.number());
            for (int k = 0; k < candidates[i].length; k++)
                candidates[i][k] = Seeds.logNormal(cr, 0.7) / (k + 1); // the top of the list draws more votes
        }
        return new Model(c, key, national, province, kabupaten, tps, candidates);
    }

    private Model modelOf(Contest contest) {
        Model m = models.get(contest.id());
        if (m == null || (m.contest() != contest && !m.contest().equals(contest)))
            throw new IllegalArgumentException("contest " + contest.id() + " is not a contest of this election");
        return m;
    }

    /** The anomaly of this sheet, or null for a correct sheet. Cheap: it does not draw the sheet. */
    Anomaly anomaly(int tpsIndex, Contest contest) {
        SplittableRandom r = anomalyRandom(tpsIndex, contest);
        return r == null ? null : kind(r);
    }

    private SplittableRandom anomalyRandom(int tpsIndex, Contest contest) {
        SplittableRandom r = new SplittableRandom(Seeds.derive(sheetSeed(tpsIndex, contest), "janggal"));
        return r.nextDouble() < ANOMALY_RATE ? r : null;
    }

    private static Anomaly kind(SplittableRandom r) {
        double u = r.nextDouble();
        return u < 0.45 ? Anomaly.MISREAD_DIGIT : u < 0.80 ? Anomaly.TOTAL_OFF : Anomaly.SEX_SUM_OFF;
    }

    private long sheetSeed(int tpsIndex, Contest contest) {
        return Seeds.derive(seed, tree.code(tpsIndex), contest.id());
    }

    TallySheet sheet(int tpsIndex, Contest contest) {
        if (tpsIndex < 0 || tpsIndex >= tree.size() || !tree.isTps(tpsIndex))
            throw new IllegalArgumentException("node " + tpsIndex + " is not a TPS");
        Model m = modelOf(contest);
        if (!election.covers(contest, tpsIndex))
            throw new IllegalArgumentException("TPS " + tree.code(tpsIndex) + " does not vote in contest " + contest.id());
        String code = tree.code(tpsIndex);
        int[] path = tree.path(tpsIndex);
        int province = path.length > 1 ? path[1] : tpsIndex;
        int kabupaten = path.length > 2 ? path[2] : province;

        Draft d = new Draft();
        voters(d, tpsIndex, code, province, kabupaten);
        SplittableRandom r = new SplittableRandom(sheetSeed(tpsIndex, contest));
        d.received = d.reg[0][2] + (int) StrictMath.ceil(d.reg[0][2] * RESERVE) + d.reg[1][2];
        d.cast = d.voted[3][2];
        d.used = d.cast;
        d.damaged = r.nextDouble() < 0.8 ? 0 : 1 + r.nextInt(2);
        d.damaged = Math.min(d.damaged, Math.max(0, d.received - d.used));
        if (d.received < d.used) d.received = d.used; // only if nearly every DPK voter came to a tiny TPS
        d.unused = d.received - d.used - d.damaged;
        d.invalid = (int) Math.round(d.cast * (0.01 + 0.03 * r.nextDouble()));
        d.valid = d.cast - d.invalid;
        votes(d, m, r, province, kabupaten);

        SplittableRandom a = anomalyRandom(tpsIndex, contest);
        if (a != null) breakRule(d, kind(a), a, Math.max(SheetShape.TPS_VOTER_CAP, tree.dpt(tpsIndex)) * SheetShape.IMPOSSIBLE_FACTOR);
        return d.toSheet(code, contest.id());
    }

    /** The voter rows of a TPS: the same on every contest's sheet there. */
    private void voters(Draft d, int tpsIndex, String code, int province, int kabupaten) {
        SplittableRandom r = Seeds.random(seed, code, "pemilih");
        int dpt = tree.dpt(tpsIndex);
        int dptL = clamp((int) Math.round(dpt * (0.47 + 0.06 * r.nextDouble())), 0, dpt);
        set(d.reg[0], dptL, dpt - dptL);
        int dptb = r.nextDouble() < 0.5 ? 0 : 1 + r.nextInt(5);
        int dptbL = r.nextInt(dptb + 1);
        set(d.reg[1], dptbL, dptb - dptbL);
        int dpk = r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(3);
        int dpkL = r.nextInt(dpk + 1);
        set(d.reg[2], dpkL, dpk - dpkL);
        totalRow(d.reg);

        double turnout = 0.70 + 0.20 * Seeds.random(seed, tree.code(province), "partisipasi").nextDouble()
                + 0.06 * (Seeds.random(seed, tree.code(kabupaten), "partisipasi").nextDouble() - 0.5)
                + 0.08 * (r.nextDouble() - 0.5);
        turnout = Math.max(0.4, Math.min(0.97, turnout));
        int votedDpt = (int) Math.round(dpt * turnout);
        int votedL = dpt == 0 ? 0 : (int) Math.round((double) votedDpt * dptL / dpt);
        votedL = clamp(votedL, Math.max(0, votedDpt - (dpt - dptL)), Math.min(dptL, votedDpt));
        set(d.voted[0], votedL, votedDpt - votedL);
        set(d.voted[1], binomial(r, d.reg[1][0], 0.9), binomial(r, d.reg[1][1], 0.9));
        set(d.voted[2], d.reg[2][0], d.reg[2][1]); // DPK voters are the ones who came
        totalRow(d.voted);
    }

    private void votes(Draft d, Model m, SplittableRandom r, int province, int kabupaten) {
        Contest c = m.contest();
        int n = c.choices().size();
        double[] log = m.national().clone();
        if (m.province() > 0) addNoise(log, Seeds.random(seed, tree.code(province), "preferensi/" + m.preferenceKey()), m.province());
        addNoise(log, Seeds.random(seed, tree.code(kabupaten), "preferensi/" + m.preferenceKey()), m.kabupaten());
        addNoise(log, r, m.tps());
        int[] totals = Apportion.largestRemainder(d.valid, weights(log), 0);
        d.number = new int[n];
        d.own = new int[n];
        d.candidates = new int[n][];
        d.total = totals;
        for (int i = 0; i < n; i++) {
            Choice choice = c.choices().get(i);
            d.number[i] = choice.number();
            double[] base = m.candidates()[i];
            if (base.length == 0) {
                d.own[i] = totals[i];
                d.candidates[i] = new int[0];
                continue;
            }
            int partyOnly = (int) Math.round(totals[i] * (0.3 + 0.2 * r.nextDouble()));
            double[] w = new double[base.length];
            for (int k = 0; k < w.length; k++) w[k] = base[k] * Seeds.logNormal(r, 0.3);
            d.own[i] = partyOnly;
            d.candidates[i] = Apportion.largestRemainder(totals[i] - partyOnly, w, 0);
        }
    }

    /** Makes the sheet break a rule the way real sheets do; counts stay within 0..limit. */
    private static void breakRule(Draft d, Anomaly kind, SplittableRandom r, int limit) {
        switch (kind) {
            case MISREAD_DIGIT -> {
                int i = r.nextInt(d.number.length);
                int[] cands = d.candidates[i];
                if (cands.length == 0) { // a pair or DPD candidate: its one number is both its votes and total
                    d.own[i] = misread(d.own[i], r, limit);
                    d.total[i] = d.own[i];
                } else if (r.nextInt(3) == 0) {
                    d.own[i] = misread(d.own[i], r, limit); // party-only votes; the party total stays as written
                } else {
                    int k = r.nextInt(cands.length);
                    cands[k] = misread(cands[k], r, limit);
                }
            }
            case TOTAL_OFF -> {
                if (r.nextBoolean()) d.valid = shift(d.valid, r);
                else d.cast = shift(d.cast, r);
            }
            case SEX_SUM_OFF -> {
                int[][] rows = r.nextBoolean() ? d.reg : d.voted;
                int row = r.nextDouble() < 0.7 ? 0 : 3;
                rows[row][2] = shift(rows[row][2], r);
            }
        }
    }

    /** 17 read as 817 (a digit in front), 84 as 884 (the first digit twice), 1 as 441 (two equal digits in front). */
    static int misread(int value, SplittableRandom r, int limit) {
        String s = Integer.toString(value);
        for (int attempt = 0; attempt < 8; attempt++) {
            String read = switch (r.nextInt(3)) {
                case 0 -> (1 + r.nextInt(9)) + s;
                case 1 -> s.charAt(0) + s;
                default -> {
                    int digit = 1 + r.nextInt(9);
                    yield "" + digit + digit + s;
                }
            };
            int v = Integer.parseInt(read);
            if (v != value && v <= limit) return v;
        }
        return value == 0 ? 8 : Integer.parseInt("1" + s); // 1xyz: below the limit for any count a TPS can have
    }

    private static int shift(int value, SplittableRandom r) {
        int delta = 1 + r.nextInt(9);
        return r.nextBoolean() || value - delta < 0 ? value + delta : value - delta;
    }

    private static void addNoise(double[] log, SplittableRandom r, double sigma) {
        for (int i = 0; i < log.length; i++) log[i] += sigma * Seeds.gaussian(r);
    }

    private static double[] weights(double[] log) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : log) max = Math.max(max, v);
        double[] w = new double[log.length];
        for (int i = 0; i < w.length; i++) w[i] = StrictMath.exp(log[i] - max);
        return w;
    }

    private static int binomial(SplittableRandom r, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) if (r.nextDouble() < p) k++;
        return k;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static void set(int[] row, int l, int p) {
        row[0] = l;
        row[1] = p;
        row[2] = l + p;
    }

    private static void totalRow(int[][] rows) {
        set(rows[3], rows[0][0] + rows[1][0] + rows[2][0], rows[0][1] + rows[1][1] + rows[2][1]);
    }

    /** The numbers of a sheet while it is drawn; rows are DPT, DPTb, DPK, total; columns L, P, total as written. */
    private static final class Draft {
        final int[][] reg = new int[4][3];
        final int[][] voted = new int[4][3];
        int received, used, unused, damaged;
        int[] number, own, total;
        int[][] candidates;
        int valid, invalid, cast;

        TallySheet toSheet(String tps, String contest) {
            List<ChoiceVotes> votes = new ArrayList<>(number.length);
            for (int i = 0; i < number.length; i++) {
                List<Integer> cands = new ArrayList<>(candidates[i].length);
                for (int v : candidates[i]) cands.add(v);
                votes.add(new ChoiceVotes(number[i], own[i], cands, total[i]));
            }
            return new TallySheet(tps, contest, lists(reg), lists(voted), new Ballots(received, used, unused, damaged),
                    votes, valid, invalid, cast, List.of());
        }

        private static VoterLists lists(int[][] rows) {
            return new VoterLists(sex(rows[0]), sex(rows[1]), sex(rows[2]), sex(rows[3]));
        }

        private static SexCount sex(int[] row) {
            return new SexCount(row[0], row[1], row[2]);
        }
    }
}
