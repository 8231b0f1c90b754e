package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 6962 hashing against values computed with the shell (sha256sum), not with our code. */
class MerkleHashTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void leafHashIsSha256OfZeroByteAndEntry() {
        // printf '\x00hello' | sha256sum
        assertThat(HEX.formatHex(MerkleHash.leaf(bytes("hello"))))
                .isEqualTo("8a2a5c9b768827de5a9552c38a044c66959c68f6d2f21b5260af54d2f87db827");
        // printf '\x00a' | sha256sum ; printf '\x00b' | sha256sum
        assertThat(HEX.formatHex(MerkleHash.leaf(bytes("a"))))
                .isEqualTo("022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c");
        assertThat(HEX.formatHex(MerkleHash.leaf(bytes("b"))))
                .isEqualTo("57eb35615d47f34ec714cacdf5fd74608a5e8e102724e80b24b287c0c27b6a31");
        // printf '\x00hello world' | sha256sum | cut -c1-64 | xxd -r -p | base64 (also Go's tlog TestFormatTree)
        assertThat(Base64.getEncoder().encodeToString(MerkleHash.leaf(bytes("hello world"))))
                .isEqualTo("TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=");
    }

    @Test
    void nodeHashIsSha256OfOneByteLeftAndRight() {
        byte[] a = MerkleHash.leaf(bytes("a"));
        byte[] b = MerkleHash.leaf(bytes("b"));
        byte[] c = MerkleHash.leaf(bytes("c"));
        // (printf '\x01'; echo $a$b | xxd -r -p) | sha256sum
        byte[] ab = MerkleHash.node(a, b);
        assertThat(HEX.formatHex(ab)).isEqualTo("b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb");
        // (printf '\x01'; echo $ab$c | xxd -r -p) | sha256sum: the root of the three leaves a, b, c
        assertThat(HEX.formatHex(MerkleHash.node(ab, c)))
                .isEqualTo("36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1");
        assertThat(MerkleHash.node(b, a)).isNotEqualTo(ab);
    }

    @Test
    void emptyTreeIsSha256OfNothing() {
        // printf '' | sha256sum
        assertThat(HEX.formatHex(MerkleHash.empty()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void nodeRefusesWhatIsNotAHash() {
        assertThatThrownBy(() -> MerkleHash.node(new byte[31], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31");
    }
}
