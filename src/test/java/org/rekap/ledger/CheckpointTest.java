package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static NoteException.Reason parseRefusal(String text) {
        NoteException e = catchThrowableOfType(NoteException.class, () -> Checkpoint.parse(text));
        assertThat(e).as("refused: %s", text).isNotNull();
        return e.reason();
    }

    @Test
    void formatsAsGosTlogDoes() throws Exception {
        // golang.org/x/mod/sumdb/tlog note_test.go TestFormatTree: the tree of 123456789012 records whose hash is
        // RecordHash("hello world") (the tlog "go.sum database tree" body, the same three lines).
        Checkpoint c = Checkpoint.of("go.sum database tree", 123456789012L, MerkleHash.leaf(utf8("hello world")));
        String golden = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
        assertThat(c.text()).isEqualTo(golden);
        assertThat(Checkpoint.parse(golden)).isEqualTo(c);
    }

    @Test
    void parsesTheSpecsExample() throws Exception {
        // C2SP tlog-checkpoint's example.
        String note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
                + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo"
                + "+zyWE+xeMcTOAYQ8=\n";
        SignedNote parsed = SignedNote.parse(utf8(note));
        Checkpoint c = Checkpoint.parse(parsed.text());
        assertThat(c.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(c.size()).isEqualTo(20852163L);
        // echo CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I= | base64 -d | xxd -p
        assertThat(c.rootHash())
                .isEqualTo(HexFormat.of().parseHex("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62"));
        assertThat(c.extensions()).isEmpty();
        // echo Az3grlgt... | base64 -d | xxd -p: key id 033de0ae
        assertThat(parsed.signatures().getFirst().keyId()).isEqualTo(0x033de0ae);
    }

    @Test
    void extensionLinesRoundTrip() throws Exception {
        byte[] root = MerkleHash.empty();
        Checkpoint c = new Checkpoint("kpu.example/pemilu-2024", 0, root, List.of("ext one", "— two"));
        assertThat(c.text()).isEqualTo("kpu.example/pemilu-2024\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
                + "ext one\n— two\n");
        assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
        assertThatThrownBy(() -> new Checkpoint("o", 1, root, List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("a\nb", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("o", -1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedBodiesAreRefused() {
        String h = "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=";
        for (String bad : List.of("o\n5\n" + h, "o\n5\n", "\n5\n" + h + "\n", "o\n05\n" + h + "\n",
                "o\n+5\n" + h + "\n", "o\n-1\n" + h + "\n", "o\n0x5\n" + h + "\n", "o\n5 \n" + h + "\n",
                "o\n\n" + h + "\n", "o\n9223372036854775808\n" + h + "\n", "o\n5\n" + h.replace("=", "") + "\n",
                "o\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n", "o\n5\nAAAA\n",
                "o\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb1=\n", "o\n5\n" + h + "\n\n",
                "o\n5\n" + h + "\next\n\n", "o\r\n5\n" + h + "\n", "o\n5\n" + h + "\nx\ty\n", ""))
            assertThat(parseRefusal(bad)).isEqualTo(NoteException.Reason.MALFORMED_CHECKPOINT);
    }

    @Test
    void aSignedCheckpointIsTheOneOpenSslSigns() throws Exception {
        // The checkpoint of the 8 reference CT leaves, signed by Go's example key PeterNeumann. Expected signature:
        //   printf "example.com/rekap-test\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n" > cp
        //   openssl pkeyutl -sign -inkey peter.pem -rawin -in cp > cp.sig   (peter.pem: PKCS#8 of the key's seed)
        //   (printf '\xc7\x4f\x20\xa3'; cat cp.sig) | base64 -w0
        InMemoryHashStore store = new InMemoryHashStore();
        store.putAll(new MerkleTree(store, 0).hashesToAppend(CtVectors.LEAVES.stream().map(MerkleHash::leaf).toList()));
        Checkpoint c = Checkpoint.of("example.com/rekap-test", 8, new MerkleTree(store, 8).root());
        byte[] note = Checkpoints.sign(c, NoteSigner.parse(SignedNoteTest.PETER_SKEY));
        assertThat(new String(note, StandardCharsets.UTF_8)).isEqualTo("example.com/rekap-test\n8\n"
                + "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n— PeterNeumann "
                + "x08go6TRnwIFn2FYNo6PfmC0kAumUJSWI7DnheNZws4Mt5HprxUo+s2hipzbkcVJ3Z6EOeNHd5Fzk5b59sJ8kgOcNwk=\n");
        NoteVerifier peter = NoteVerifier.parse(SignedNoteTest.PETER_VKEY);
        assertThat(Checkpoints.open(note, peter)).isEqualTo(c);
        assertThat(Checkpoints.open(note, peter, "example.com/rekap-test")).isEqualTo(c);
        assertThat(Base64.getEncoder().encodeToString(c.rootHash())).isEqualTo(
                Base64.getEncoder().encodeToString(CtVectors.ROOTS.get(7)));
    }

    @Test
    void openRefusesForgeriesOtherLogsAndOtherKeys() {
        NoteSigner log = NoteSigner.generate("kpu.example/pemilu-2024", new SecureRandom());
        Checkpoint c = Checkpoint.of("kpu.example/pemilu-2024", 41, MerkleHash.leaf(utf8("x")));
        byte[] note = Checkpoints.sign(c, log);
        NoteVerifier v = log.verifier();
        // A bigger tree size under the same signature.
        byte[] forged = utf8(new String(note, StandardCharsets.UTF_8).replaceFirst("\n41\n", "\n42\n"));
        assertThat(reason(() -> Checkpoints.open(forged, v))).isEqualTo(NoteException.Reason.INVALID_SIGNATURE);
        // Signed by another key with the same name: unknown, so no known signature.
        NoteSigner other = NoteSigner.generate("kpu.example/pemilu-2024", new SecureRandom());
        assertThat(reason(() -> Checkpoints.open(Checkpoints.sign(c, other), v)))
                .isEqualTo(NoteException.Reason.NO_KNOWN_SIGNATURE);
        assertThat(reason(() -> Checkpoints.open(note, v, "kpu.example/pilkada-2024")))
                .isEqualTo(NoteException.Reason.WRONG_ORIGIN);
        // Well signed, but not a checkpoint.
        assertThat(reason(() -> Checkpoints.open(SignedNote.sign("hello\n", log), v)))
                .isEqualTo(NoteException.Reason.MALFORMED_CHECKPOINT);
    }

    private interface Opening {
        void run() throws Exception;
    }

    private static NoteException.Reason reason(Opening o) {
        NoteException e = catchThrowableOfType(NoteException.class, o::run);
        assertThat(e).as("should be refused").isNotNull();
        return e.reason();
    }
}
