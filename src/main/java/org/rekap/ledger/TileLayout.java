package org.rekap.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C2SP tlog-tiles layout: the one place that knows its paths and which tiles a tree size has.
 *
 * <ul>
 *   <li>Hash tiles {@code tile/<L>/<N>[.p/<W>]}: tile {@code N} of level {@code L} holds, for {@code i} in
 *       {@code 0..W-1}, the Merkle tree hash of leaves {@code [(N*256 + i) * 256^L, (N*256 + i + 1) * 256^L)}: the
 *       {@link HashStore} hash at level {@code 8L}, index {@code N*256 + i}, concatenated (32 bytes each). Tile height
 *       is 8, so a full tile has 256 hashes (8,192 bytes).
 *   <li>Entry bundles {@code tile/entries/<N>[.p/<W>]}: entries {@code N*256 .. N*256+W-1} ({@link EntryBundle}).
 *   <li>{@code N} is written in 3-digit groups, all but the last prefixed with {@code x}: 1234067 is
 *       {@code x001/x234/067}. {@code .p/<W>} marks a partial tile of width {@code W} in 1..255.
 *   <li>A tree of size {@code s} has, at level {@code L}, {@code floor(s / 256^(L+1))} full tiles and, when
 *       {@code w = floor(s / 256^L) mod 256} is not zero, one partial tile of width {@code w}; entry bundles follow
 *       level 0. So size 70,000 has 273 full level-0 tiles and a partial one of width 112, one full level-1 tile and a
 *       partial one of width 17, and a partial level-2 tile of width 1.
 * </ul>
 */
public final class TileLayout {
    /** Levels of the Merkle tree per tile level. */
    public static final int HEIGHT = 8;
    /** Hashes (or entries) in a full tile. */
    public static final int WIDTH = 1 << HEIGHT;
    /** The highest tile level a path may name. */
    public static final int MAX_LEVEL = 63;

    private static final Pattern PATH = Pattern.compile(
            "tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/){0,6}[0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

    private TileLayout() {}

    /** The path of a tile under the log's prefix, without a leading slash. */
    public static String path(Tile tile) {
        StringBuilder sb = new StringBuilder("tile/");
        sb.append(tile.isEntries() ? "entries" : Integer.toString(tile.level())).append('/');
        sb.append(encodeIndex(tile.index()));
        if (tile.isPartial()) sb.append(".p/").append(tile.width());
        return sb.toString();
    }

    /** {@code N} in 3-digit path elements: {@code 1234067} is {@code x001/x234/067}, {@code 5} is {@code 005}. */
    static String encodeIndex(long n) {
        String last = String.format("%03d", n % 1000);
        StringBuilder prefix = new StringBuilder();
        for (long rest = n / 1000; rest > 0; rest /= 1000)
            prefix.insert(0, String.format("x%03d/", rest % 1000));
        return prefix + last;
    }

    /**
     * The tile a path names, or empty when the path is not exactly one that {@link #path} writes (no leading zeros in
     * the level or width, no superfluous {@code x000/} groups, level at most 63, width 1..255).
     */
    public static Optional<Tile> parse(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) return Optional.empty();
        int level = m.group(1).equals("entries") ? Tile.ENTRIES : Integer.parseInt(m.group(1));
        if (level > MAX_LEVEL) return Optional.empty();
        long index = 0;
        try {
            for (String group : m.group(2).split("/"))
                index = Math.addExact(Math.multiplyExact(index, 1000), Long.parseLong(group.replace("x", "")));
        } catch (ArithmeticException overflow) {
            return Optional.empty();
        }
        if (!encodeIndex(index).equals(m.group(2))) return Optional.empty();
        int width = WIDTH;
        if (m.group(3) != null) {
            width = Integer.parseInt(m.group(3));
            if (width >= WIDTH) return Optional.empty();
        }
        return Optional.of(new Tile(level, index, width));
    }

    /** Every hash tile of a tree of {@code treeSize} leaves, by level then index. */
    public static List<Tile> hashTiles(long treeSize) {
        return hashTiles(0, treeSize);
    }

    /**
     * The hash tiles a tree of {@code newSize} leaves has and one of {@code oldSize} leaves has not: the tiles that
     * became full, and the new partial tiles. What a log must publish when it grows from one size to the other.
     */
    public static List<Tile> hashTiles(long oldSize, long newSize) {
        checkSizes(oldSize, newSize);
        List<Tile> out = new ArrayList<>();
        for (int level = 0; level * HEIGHT < Long.SIZE && (newSize >>> (level * HEIGHT)) > 0; level++)
            addTiles(level, oldSize >>> (level * HEIGHT), newSize >>> (level * HEIGHT), out);
        return out;
    }

    /** Every entry bundle of a tree of {@code treeSize} leaves, by index. */
    public static List<Tile> entryBundles(long treeSize) {
        return entryBundles(0, treeSize);
    }

    /** The entry bundles a tree of {@code newSize} leaves has and one of {@code oldSize} leaves has not. */
    public static List<Tile> entryBundles(long oldSize, long newSize) {
        checkSizes(oldSize, newSize);
        List<Tile> out = new ArrayList<>();
        addTiles(Tile.ENTRIES, oldSize, newSize, out);
        return out;
    }

    /** Tiles over a level holding {@code oldCount} then {@code newCount} hashes (or entries). */
    private static void addTiles(int level, long oldCount, long newCount, List<Tile> out) {
        long oldFull = oldCount / WIDTH;
        long newFull = newCount / WIDTH;
        for (long i = oldFull; i < newFull; i++) out.add(new Tile(level, i, WIDTH));
        int width = (int) (newCount % WIDTH);
        if (width > 0 && (newFull != oldFull || width != oldCount % WIDTH)) out.add(new Tile(level, newFull, width));
    }

    private static void checkSizes(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize)
            throw new IllegalArgumentException("sizes " + oldSize + " and " + newSize + " are not 0 <= old <= new");
    }

    /**
     * The first leaf index a tile covers: {@code index * 256^(level+1)} (entry bundles as level 0).
     *
     * @throws ArithmeticException when that is beyond {@code Long.MAX_VALUE}
     */
    public static long firstLeaf(Tile tile) {
        int shift = HEIGHT * (Math.max(tile.level(), 0) + 1);
        long first = shift < Long.SIZE ? tile.index() << shift : 0;
        if ((shift >= Long.SIZE || first >>> shift != tile.index() || first < 0) && tile.index() != 0)
            throw new ArithmeticException(tile.path() + " starts beyond the largest possible tree");
        return first;
    }

    /** The bytes of a hash tile: its hashes from the store, concatenated. */
    public static byte[] hashTile(HashStore store, Tile tile) {
        if (tile.isEntries()) throw new IllegalArgumentException(tile.path() + " is an entry bundle, not a hash tile");
        int storeLevel = tile.level() * HEIGHT;
        byte[] out = new byte[tile.width() * MerkleHash.SIZE];
        for (int i = 0; i < tile.width(); i++) {
            byte[] h = store.hash(storeLevel, tile.index() * WIDTH + i);
            System.arraycopy(h, 0, out, i * MerkleHash.SIZE, MerkleHash.SIZE);
        }
        return out;
    }
}
