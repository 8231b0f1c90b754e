package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryBundleTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachEntryIsPrefixedWithItsBigEndianUint16Length() {
        byte[] bundle = EntryBundle.encode(List.of(bytes("a"), bytes("bc"), new byte[0], new byte[300]));
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(bundle, 11))).isEqualTo("0001610002626300000" + "12c");
        assertThat(bundle).hasSize(2 + 1 + 2 + 2 + 2 + 2 + 300);
        assertThat(EntryBundle.decode(bundle)).containsExactly(bytes("a"), bytes("bc"), new byte[0], new byte[300]);
        assertThat(EntryBundle.decode(new byte[0])).isEmpty();
    }

    @Test
    void entriesUpTo65535BytesFit() {
        byte[] big = new byte[65535];
        big[65534] = 7;
        assertThat(EntryBundle.decode(EntryBundle.encode(List.of(big)))).containsExactly(big);
        assertThatThrownBy(() -> EntryBundle.encode(List.of(new byte[1], new byte[65536])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 1");
    }

    @Test
    void truncatedBundlesAreRefused() {
        byte[] bundle = EntryBundle.encode(List.of(bytes("abc"), bytes("de")));
        for (int cut = 1; cut < bundle.length; cut++) {
            if (cut == 5) continue; // right after the first entry: a shorter, valid bundle
            byte[] truncated = Arrays.copyOf(bundle, cut);
            assertThatThrownBy(() -> EntryBundle.decode(truncated)).as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(EntryBundle.decode(Arrays.copyOf(bundle, 5))).containsExactly(bytes("abc"));
    }

    @Test
    void aBundlesEntriesHashToItsLevelZeroTile() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) entries.add(bytes("{\"n\":" + i + "}"));
        InMemoryHashStore store = new InMemoryHashStore();
        store.putAll(new MerkleTree(store, 0).hashesToAppend(entries.stream().map(MerkleHash::leaf).toList()));
        for (Tile bundle : TileLayout.entryBundles(300)) {
            int first = (int) TileLayout.firstLeaf(bundle);
            List<byte[]> decoded = EntryBundle.decode(EntryBundle.encode(entries.subList(first, first + bundle.width())));
            byte[] tile = TileLayout.hashTile(store, new Tile(0, bundle.index(), bundle.width()));
            for (int i = 0; i < decoded.size(); i++)
                assertThat(MerkleHash.leaf(decoded.get(i))).isEqualTo(Arrays.copyOfRange(tile, i * 32, i * 32 + 32));
        }
    }
}
