package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;

/** Row-by-row comparison of downloads: every difference named by TPS and column, whatever the rows' order. */
class RowMatcherTest {
    private final RegionTree tree = RegionTree.of("X", List.of(new Region("11", "", "provinsi", "A", 0),
            new Region("11.001", "11", "tps", "TPS 1", 10), new Region("11.002", "11", "tps", "TPS 2", 20),
            new Region("11.003", "11", "tps", "TPS 3", 30), new Region("11.004", "11", "tps", "TPS 4", 40)));
    private final List<String> found = new ArrayList<>();

    private RowMatcher matcher() {
        List<Integer> tps = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++) tps.add(t);
        return new RowMatcher(tree, List.of("tps", "dpt"), tps, t -> new String[] {tree.code(t), Integer.toString(tree.dpt(t))},
                (code, column, what, expected, got) -> found.add(code + "|" + column + "|" + expected + "|" + got));
    }

    private static String[] row(String code, String dpt) {
        return new String[] {code, dpt};
    }

    @Test
    void identicalRowsMatch() {
        RowMatcher m = matcher();
        assertThat(m.header(List.of("tps", "dpt"))).isTrue();
        m.row(row("11.001", "10"));
        m.row(row("11.002", "20"));
        m.row(row("11.003", "30"));
        m.row(row("11.004", "40"));
        m.finish();
        assertThat(found).isEmpty();
        assertThat(m.rows()).isEqualTo(4);
    }

    @Test
    void aChangedCellAMissingRowAnExtraRowAndADisorderAreEachNamed() {
        RowMatcher m = matcher();
        m.header(List.of("tps", "dpt"));
        m.row(row("11.001", "11"));
        m.row(row("11.004", "40"));
        m.row(row("11.002", "20"));
        m.row(row("11.999", "5"));
        m.finish();
        assertThat(found).containsExactlyInAnyOrder(
                "11.001|dpt|10|11",
                "11.002|null|tree order|another order",
                "11.003|null|a row|null",
                "11.999|null|null|a row");
    }

    @Test
    void aWrongHeaderIsNamedAndColumnsAreMatchedByName() {
        RowMatcher m = matcher();
        m.header(List.of("dpt", "tps"));
        m.row(new String[] {"10", "11.001"});
        m.row(new String[] {"20", "11.002"});
        m.row(new String[] {"30", "11.003"});
        m.row(new String[] {"40", "11.004"});
        m.finish();
        assertThat(found).containsExactly("null|header|tps,dpt|dpt,tps");
    }
}
