package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TileLayoutTest {
    private static final int SIZE = 70_000;
    private static List<byte[]> leaves;
    private static InMemoryHashStore store;

    @BeforeAll
    static void buildTreeOfTheSpecsExampleSize() {
        leaves = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) leaves.add(MerkleHash.leaf(ByteBuffer.allocate(4).putInt(i).array()));
        store = new InMemoryHashStore();
        store.putAll(new MerkleTree(store, 0).hashesToAppend(leaves));
    }

    @Test
    void pathsAreThoseOfTheSpec() {
        assertThat(new Tile(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(new Tile(0, 0, 256).path()).isEqualTo("tile/0/000");
        assertThat(new Tile(2, 999, 256).path()).isEqualTo("tile/2/999");
        assertThat(new Tile(1, 1000, 256).path()).isEqualTo("tile/1/x001/000");
        assertThat(new Tile(1, 1, 17).path()).isEqualTo("tile/1/001.p/17");
        assertThat(Tile.entries(1234067, 5).path()).isEqualTo("tile/entries/x001/x234/067.p/5");
        assertThat(Tile.entries(273, 256).path()).isEqualTo("tile/entries/273");
        assertThat(new Tile(63, Long.MAX_VALUE, 255).path())
                .isEqualTo("tile/63/x009/x223/x372/x036/x854/x775/807.p/255");
    }

    @Test
    void parseReadsBackEveryPathItWrites() {
        for (Tile t : List.of(new Tile(0, 1234067, 256), new Tile(1, 1, 17), Tile.entries(1234067, 5),
                Tile.entries(0, 1), new Tile(63, Long.MAX_VALUE, 255), new Tile(7, 1000000, 256)))
            assertThat(TileLayout.parse(t.path())).contains(t);
    }

    @Test
    void parseRefusesAnythingElse() {
        for (String bad : List.of("", "tile/0", "tile/0/", "/tile/0/000", "tile/0/000/", "tile/00/000", "tile/01/000",
                "tile/64/000", "tile/-1/000", "tile/0/0", "tile/0/0000", "tile/0/x000/005", "tile/0/x001",
                "tile/0/001/234", "tile/0/X001/234", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/01",
                "tile/0/000.p/", "tile/0/000.p", "tile/0/000p/5", "tile/entry/000", "tile/entries/000.p/1000",
                "tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/x001/x002/x003/x004/x005/x006/x007/008",
                "tile/8/0/000", "checkpoint", "tile/0/00a"))
            assertThat(TileLayout.parse(bad)).as(bad).isEqualTo(Optional.empty());
    }

    @Test
    void aTreeOf70000HasTheTilesTheSpecLists() {
        List<Tile> tiles = TileLayout.hashTiles(SIZE);
        assertThat(tiles.stream().filter(t -> t.level() == 0 && !t.isPartial())).hasSize(273);
        assertThat(tiles.stream().filter(t -> t.level() == 0 && t.isPartial())).containsExactly(new Tile(0, 273, 112));
        assertThat(tiles.stream().filter(t -> t.level() == 1))
                .containsExactly(new Tile(1, 0, 256), new Tile(1, 1, 17));
        assertThat(tiles.stream().filter(t -> t.level() == 2)).containsExactly(new Tile(2, 0, 1));
        assertThat(tiles).hasSize(273 + 4);
        assertThat(TileLayout.entryBundles(SIZE)).hasSize(274).endsWith(Tile.entries(273, 112));
        // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
        assertThat(TileLayout.hashTiles(256)).containsExactly(new Tile(0, 0, 256), new Tile(1, 0, 1));
        assertThat(TileLayout.hashTiles(0)).isEmpty();
        assertThat(TileLayout.hashTiles(1)).containsExactly(new Tile(0, 0, 1));
    }

    @Test
    void growingATreeAddsTheNewlyFullAndTheNewPartialTiles() {
        assertThat(TileLayout.hashTiles(SIZE, SIZE + 1)).containsExactly(new Tile(0, 273, 113));
        assertThat(TileLayout.hashTiles(SIZE, SIZE)).isEmpty();
        assertThat(TileLayout.hashTiles(65535, 65536))
                .containsExactly(new Tile(0, 255, 256), new Tile(1, 0, 256), new Tile(2, 0, 1));
        assertThat(TileLayout.hashTiles(100, 700)).containsExactly(new Tile(0, 0, 256), new Tile(0, 1, 256),
                new Tile(0, 2, 188), new Tile(1, 0, 2));
        assertThat(TileLayout.entryBundles(100, 700))
                .containsExactly(Tile.entries(0, 256), Tile.entries(1, 256), Tile.entries(2, 188));
        assertThat(TileLayout.entryBundles(512, 512)).isEmpty();
        assertThatThrownBy(() -> TileLayout.hashTiles(5, 4)).isInstanceOf(IllegalArgumentException.class);
        // Every tile of the big tree is in exactly one step of a growth in uneven steps.
        List<Tile> grown = new ArrayList<>();
        List<Tile> allEver = new ArrayList<>();
        long[] steps = {0, 1, 255, 256, 257, 5000, 65535, 65536, 65537, 69999, SIZE};
        for (int i = 1; i < steps.length; i++) grown.addAll(TileLayout.hashTiles(steps[i - 1], steps[i]));
        for (long s : steps) allEver.addAll(TileLayout.hashTiles(s));
        assertThat(grown).doesNotHaveDuplicates().containsAll(TileLayout.hashTiles(SIZE));
        assertThat(allEver).containsAll(grown);
    }

    @Test
    void hashTileBytesAreTheStoredHashesConcatenated() {
        byte[] level0 = TileLayout.hashTile(store, new Tile(0, 3, 256));
        assertThat(level0).hasSize(8192);
        for (int i = 0; i < 256; i++)
            assertThat(Arrays.copyOfRange(level0, i * 32, i * 32 + 32)).isEqualTo(leaves.get(3 * 256 + i));
        byte[] partial = TileLayout.hashTile(store, new Tile(0, 273, 112));
        assertThat(partial).hasSize(112 * 32);
        assertThat(Arrays.copyOfRange(partial, 111 * 32, 112 * 32)).isEqualTo(leaves.get(SIZE - 1));
    }

    @Test
    void higherTilesHoldTheRootsOfTheirSubtrees() {
        byte[] level1 = TileLayout.hashTile(store, new Tile(1, 0, 256));
        for (int i : new int[] {0, 1, 128, 255})
            assertThat(Arrays.copyOfRange(level1, i * 32, i * 32 + 32))
                    .isEqualTo(MerkleTree.rootOf(leaves.subList(i * 256, (i + 1) * 256)));
        byte[] level1Partial = TileLayout.hashTile(store, new Tile(1, 1, 17));
        assertThat(Arrays.copyOfRange(level1Partial, 16 * 32, 17 * 32))
                .isEqualTo(MerkleTree.rootOf(leaves.subList((256 + 16) * 256, (256 + 17) * 256)));
        assertThat(TileLayout.hashTile(store, new Tile(2, 0, 1))).isEqualTo(MerkleTree.rootOf(leaves.subList(0, 65536)));
        // A full level-1 tile's hashes hash up to its level-2 hash.
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < 256; i++) hashes.add(Arrays.copyOfRange(level1, i * 32, i * 32 + 32));
        assertThat(MerkleTree.rootOf(hashes)).isEqualTo(TileLayout.hashTile(store, new Tile(2, 0, 1)));
    }

    @Test
    void tilesBeyondTheStoreAndEntryBundlesAreNotHashTiles() {
        assertThatThrownBy(() -> TileLayout.hashTile(store, new Tile(0, 273, 113))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> TileLayout.hashTile(store, Tile.entries(0, 256)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tile(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tile(0, 0, 257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tile(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstLeafOfATile() {
        assertThat(TileLayout.firstLeaf(new Tile(0, 3, 256))).isEqualTo(768);
        assertThat(TileLayout.firstLeaf(Tile.entries(3, 5))).isEqualTo(768);
        assertThat(TileLayout.firstLeaf(new Tile(1, 1, 17))).isEqualTo(65536);
        assertThat(TileLayout.firstLeaf(new Tile(9, 0, 1))).isZero();
        assertThatThrownBy(() -> TileLayout.firstLeaf(new Tile(7, 1, 1))).isInstanceOf(ArithmeticException.class);
    }
}
