package org.rekap.region;

/**
 * One row of the region tree as it is read or written. TPS are regions too: level {@link RegionTree#TPS_LEVEL},
 * with their registered voters in {@code dpt} (0 when the source does not say).
 */
public record Region(String code, String parentCode, String level, String name, int dpt) {
    public boolean isTps() {
        return RegionTree.TPS_LEVEL.equals(level);
    }
}
