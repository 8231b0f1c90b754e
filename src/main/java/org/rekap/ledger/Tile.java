package org.rekap.ledger;

/**
 * One tlog-tiles resource: a hash tile ({@code level >= 0}) or an entry bundle ({@code level == ENTRIES}), its index
 * within its level and its width (256 for a full tile, 1..255 for a partial one). See {@link TileLayout}.
 */
public record Tile(int level, long index, int width) {
    /** The level value that marks an entry bundle. */
    public static final int ENTRIES = -1;

    public Tile {
        if (level < ENTRIES || level > TileLayout.MAX_LEVEL)
            throw new IllegalArgumentException("tile level " + level + " is outside 0.." + TileLayout.MAX_LEVEL);
        if (index < 0) throw new IllegalArgumentException("tile index " + index + " is negative");
        if (width < 1 || width > TileLayout.WIDTH)
            throw new IllegalArgumentException("tile width " + width + " is outside 1.." + TileLayout.WIDTH);
    }

    /** The entry bundle {@code index} holding {@code width} entries. */
    public static Tile entries(long index, int width) {
        return new Tile(ENTRIES, index, width);
    }

    public boolean isEntries() {
        return level == ENTRIES;
    }

    /** Fewer than 256 hashes or entries: served only for tree sizes that need it, then replaced by the full tile. */
    public boolean isPartial() {
        return width < TileLayout.WIDTH;
    }

    /** Its path under the log's prefix, e.g. {@code tile/0/x001/x234/067.p/5}. */
    public String path() {
        return TileLayout.path(this);
    }
}
