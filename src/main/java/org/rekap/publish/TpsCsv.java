package org.rekap.publish;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Totals;

/**
 * The TPS download (docs/formats.md, "TPS results CSV"): one row per TPS per contest. Numbers are those counted in
 * the totals; a TPS whose sheet is held or missing has empty number cells, so the rows of any region add up exactly
 * to its published totals.
 */
final class TpsCsv {
    private TpsCsv() {}

    static String header(Contest c) {
        StringBuilder sb = new StringBuilder("contest,tps,region,tps_number,status,dpt,voted,valid,invalid,cast");
        for (Choice ch : c.choices()) sb.append(",choice_").append(ch.number());
        if (c.kind().partyList()) {
            for (Choice ch : c.choices()) {
                sb.append(",choice_").append(ch.number()).append("_party");
                for (Candidate k : ch.candidates()) sb.append(",choice_").append(ch.number()).append("_cand_").append(k.number());
            }
        }
        return sb.append('\n').toString();
    }

    /** Rows for the TPS among one region's children, in tree order. */
    static byte[] rows(RegionTree tree, Contest c, List<Totals> children, List<SheetStatus> status) {
        StringBuilder sb = new StringBuilder(children.size() * 96);
        for (int i = 0; i < children.size(); i++) {
            Totals t = children.get(i);
            if (!tree.isTps(t.node())) continue;
            SheetStatus s = status.get(i);
            String code = tree.code(t.node());
            sb.append(c.id()).append(',').append(code).append(',').append(tree.code(tree.parent(t.node()))).append(',')
                    .append(TpsNumbers.numberOf(code)).append(',').append(s.name().toLowerCase(java.util.Locale.ROOT))
                    .append(',').append(tree.dpt(t.node()));
            boolean counted = s == SheetStatus.COUNTED;
            cell(sb, counted, t.voted());
            cell(sb, counted, t.valid());
            cell(sb, counted, t.invalid());
            cell(sb, counted, t.cast());
            for (long v : t.choiceTotals()) cell(sb, counted, v);
            if (c.kind().partyList()) {
                int k = 0;
                for (int ch = 0; ch < c.choices().size(); ch++) {
                    cell(sb, counted, t.choiceVotes()[ch]);
                    for (int n = 0; n < c.choices().get(ch).candidates().size(); n++) cell(sb, counted, t.candidateVotes()[k++]);
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void cell(StringBuilder sb, boolean counted, long v) {
        sb.append(',');
        if (counted) sb.append(v);
    }
}
