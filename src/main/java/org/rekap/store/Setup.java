package org.rekap.store;

import java.util.List;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;

/** An election's set-up as stored: its name, the root region's name, the region rows (TPS included), the contests. */
public record Setup(String name, String rootName, List<Region> regions, List<Contest> contests) {
    public Setup {
        regions = List.copyOf(regions);
        contests = List.copyOf(contests);
    }

    /** @throws IllegalArgumentException when regions or contests do not fit together */
    public Election election() {
        return new Election(RegionTree.of(rootName, regions), contests);
    }
}
