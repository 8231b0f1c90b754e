package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * C2SP signed notes, against the example key and notes published in Go's golang.org/x/mod/sumdb/note (package doc and
 * note_test.go), the C2SP signed-note spec's example, and a key and signature made with the shell and OpenSSL.
 */
class SignedNoteTest {
    // golang.org/x/mod/sumdb/note: the PeterNeumann key pair and signed note; EnochRoot's key and cosignature.
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG =
            "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG =
            "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    // Made independently of our code:
    //   seed=$(printf 'rekap test seed' | sha256sum | cut -c1-64)
    //   (echo 302e020100300506032b657004220420$seed | xxd -r -p) > k.der; openssl pkey -inform DER -in k.der -out k.pem
    //   pub=$(openssl pkey -in k.pem -pubout -outform DER | tail -c 32 | xxd -p -c 64)
    //   id=$( (printf '%s\n\x01' kpu.example/pemilu-2024; echo $pub | xxd -r -p) | sha256sum | cut -c1-8)
    //   vkey: name+id+base64(0x01 || pub); skey: PRIVATE+KEY+name+id+base64(0x01 || seed)
    static final String KPU_SEED = "19c00a8bf1276edf68bcb8a2e6b2d6c55d7b709111c44de24e7887f626b26e16";
    static final String KPU_SKEY =
            "PRIVATE+KEY+kpu.example/pemilu-2024+a88543f3+ARnACovxJ27faLy4ouay1sVde3CREcRN4k54h/Ymsm4W";
    static final String KPU_VKEY = "kpu.example/pemilu-2024+a88543f3+AfAFTcU+5Yb+aCKsZrkTaeTi6M8qofinLxGvvAO/UYg7";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static NoteException.Reason refusal(byte[] note, NoteVerifier... known) {
        NoteException e = catchThrowableOfType(NoteException.class, () -> SignedNote.open(note, known));
        assertThat(e).as("the note should be refused").isNotNull();
        return e.reason();
    }

    @Test
    void goKeysParseAndAgree() {
        NoteSigner peter = NoteSigner.parse(PETER_SKEY);
        assertThat(peter.name()).isEqualTo("PeterNeumann");
        assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
        assertThat(peter.privateKey()).isEqualTo(PETER_SKEY);
        assertThat(peter.verifier().verifierKey()).isEqualTo(PETER_VKEY);
        assertThat(NoteVerifier.parse(PETER_VKEY).keyId()).isEqualTo(0xc74f20a3);
        assertThat(NoteVerifier.parse(PETER_VKEY)).isEqualTo(peter.verifier());
        assertThat(NoteVerifier.parse(ENOCH_VKEY).keyId()).isEqualTo(0xaf0cfe78);
        assertThat(peter.toString()).doesNotContain("AYEK");
    }

    @Test
    void signingReproducesGosSignedNoteByteForByte() {
        byte[] note = SignedNote.sign(TEXT, NoteSigner.parse(PETER_SKEY));
        assertThat(new String(note, StandardCharsets.UTF_8)).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void keysMadeWithOpenSslParseAndSignAsOpenSslDoes() {
        NoteSigner kpu = NoteSigner.ofSeed("kpu.example/pemilu-2024", HexFormat.of().parseHex(KPU_SEED));
        assertThat(kpu.privateKey()).isEqualTo(KPU_SKEY);
        assertThat(kpu.verifier().verifierKey()).isEqualTo(KPU_VKEY);
        assertThat(NoteSigner.parse(KPU_SKEY).verifier()).isEqualTo(NoteVerifier.parse(KPU_VKEY));
        // openssl pkeyutl -sign -inkey k.pem -rawin -in cp2, with cp2 the checkpoint text below
        String text = "kpu.example/pemilu-2024\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
        String sig = "qIVD86lk2UXAFZQZ9kHmahS8sR9xpJ9+zWkZbN6WDXfumTLxMyVk9WOK068IvkHtIGY+9P//Y4FSb4QpGisPboqJ9wM=";
        assertThat(new String(SignedNote.sign(text, kpu), StandardCharsets.UTF_8))
                .isEqualTo(text + "\n— kpu.example/pemilu-2024 " + sig + "\n");
    }

    @Test
    void opensGosExampleNote() throws Exception {
        assertThat(SignedNote.open(utf8(TEXT + "\n" + PETER_SIG), NoteVerifier.parse(PETER_VKEY))).isEqualTo(TEXT);
        SignedNote parsed = SignedNote.parse(utf8(TEXT + "\n" + PETER_SIG));
        assertThat(parsed.text()).isEqualTo(TEXT);
        assertThat(parsed.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("PeterNeumann");
            assertThat(s.keyId()).isEqualTo(0xc74f20a3);
            assertThat(s.signature()).hasSize(64);
        });
        assertThat(new String(parsed.encode(), StandardCharsets.UTF_8)).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void signaturesByUnknownKeysAreIgnoredButOneKnownKeyMustHaveSigned() throws Exception {
        byte[] both = utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        NoteVerifier enoch = NoteVerifier.parse(ENOCH_VKEY);
        assertThat(SignedNote.open(both, peter)).isEqualTo(TEXT);
        assertThat(SignedNote.open(both, enoch)).isEqualTo(TEXT);
        assertThat(SignedNote.open(both, peter, enoch)).isEqualTo(TEXT);
        assertThat(refusal(both)).isEqualTo(NoteException.Reason.NO_KNOWN_SIGNATURE);
        // The wrong key: Enoch did not sign this one.
        assertThat(refusal(utf8(TEXT + "\n" + PETER_SIG), enoch)).isEqualTo(NoteException.Reason.NO_KNOWN_SIGNATURE);
        // Same name, another key (so another id): unknown, ignored.
        NoteVerifier impostor = NoteSigner.generate("PeterNeumann", new SecureRandom()).verifier();
        assertThat(refusal(utf8(TEXT + "\n" + PETER_SIG), impostor))
                .isEqualTo(NoteException.Reason.NO_KNOWN_SIGNATURE);
        assertThat(SignedNote.open(utf8(TEXT + "\n" + PETER_SIG), impostor, peter)).isEqualTo(TEXT);
    }

    @Test
    void aBadSignatureByAKnownKeyRefusesTheWholeNote() {
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        NoteVerifier enoch = NoteVerifier.parse(ENOCH_VKEY);
        String tampered = TEXT.replace("cryptography", "cryptographY");
        assertThat(refusal(utf8(tampered + "\n" + PETER_SIG), peter)).isEqualTo(NoteException.Reason.INVALID_SIGNATURE);
        // Go's test: four more base64 characters inside the signature.
        String mangled = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        assertThat(refusal(utf8(TEXT + "\n" + mangled), peter)).isEqualTo(NoteException.Reason.INVALID_SIGNATURE);
        // Even when another known key signed it well.
        assertThat(refusal(utf8(tampered + "\n" + ENOCH_SIG + PETER_SIG), peter, enoch))
                .isEqualTo(NoteException.Reason.INVALID_SIGNATURE);
        // A flipped bit in the signature.
        byte[] good = SignedNote.sign(TEXT, NoteSigner.parse(PETER_SKEY));
        String line = new String(good, StandardCharsets.UTF_8);
        int at = line.length() - 10;
        String flipped = line.substring(0, at) + (line.charAt(at) == 'A' ? 'B' : 'A') + line.substring(at + 1);
        assertThat(refusal(utf8(flipped), peter)).isEqualTo(NoteException.Reason.INVALID_SIGNATURE);
    }

    @Test
    void malformedNotesAreRefused() {
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        // Go's note_test.go badMsgs, and more.
        for (String bad : List.of(TEXT, TEXT + "\n", TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n", TEXT + "\n" + PETER_SIG.replace("— ", "-- "),
                TEXT + "\n" + PETER_SIG.replace("— ", "—"), TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
                TEXT + "\n" + "— PeterNeumann x08g\n", TEXT + "\n" + "— PeterNeumann \n",
                TEXT + "\n" + "— PeterNeumann\n", TEXT + "\n" + PETER_SIG.replace("x08go", "x08g!"),
                TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG, TEXT + "\n" + PETER_SIG + "\n"))
            assertThat(refusal(utf8(bad), peter)).as(bad).isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        byte[] invalidUtf8 = utf8("x" + TEXT + "\n" + PETER_SIG);
        invalidUtf8[0] = (byte) 0xff;
        assertThat(refusal(invalidUtf8, peter)).isEqualTo(NoteException.Reason.MALFORMED_NOTE);
    }

    @Test
    void atMostOneHundredSignatures() throws Exception {
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        assertThat(SignedNote.open(utf8(TEXT + "\n" + PETER_SIG.repeat(100)), peter)).isEqualTo(TEXT);
        assertThat(refusal(utf8(TEXT + "\n" + PETER_SIG.repeat(101)), peter))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(refusal(utf8("x".repeat(SignedNote.MAX_NOTE_BYTES) + "\n\n" + PETER_SIG), peter))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
    }

    @Test
    void theTextEndsAtTheLastBlankLine() throws Exception {
        // The C2SP signed-note spec's example: its text holds a blank line.
        String example = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
                + "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0x"
                + "McXxj99ihAQwaqP3ZekRwNtIc=\n";
        SignedNote note = SignedNote.parse(utf8(example));
        assertThat(note.text()).isEqualTo(
                "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n");
        // echo NnugSzTj... | base64 -d | xxd -p: 367ba04b then 64 bytes
        assertThat(note.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("quasimodo.example/salvatore");
            assertThat(s.keyId()).isEqualTo(0x367ba04b);
            assertThat(s.signature()).hasSize(64);
        });
        // We sign such texts too, and read them back.
        NoteSigner signer = NoteSigner.generate("quasimodo.example/salvatore", new SecureRandom());
        assertThat(SignedNote.open(SignedNote.sign(note.text(), signer), signer.verifier())).isEqualTo(note.text());
    }

    @Test
    void generatedKeysRoundTripAndSign() throws Exception {
        NoteSigner s = NoteSigner.generate("kpu.example/pemilu-2024", new SecureRandom());
        NoteSigner again = NoteSigner.parse(s.privateKey());
        NoteVerifier v = NoteVerifier.parse(s.verifier().verifierKey());
        assertThat(again.verifier()).isEqualTo(v);
        assertThat(s.privateKey()).matches("PRIVATE\\+KEY\\+kpu\\.example/pemilu-2024\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}");
        byte[] note = SignedNote.sign("hello\n", again);
        assertThat(SignedNote.open(note, v)).isEqualTo("hello\n");
        assertThat(NoteSigner.generate("x", new SecureRandom()).privateKey()).isNotEqualTo(s.privateKey());
    }

    @Test
    void signingRefusesTextsThatCannotBeNotes() {
        NoteSigner peter = NoteSigner.parse(PETER_SKEY);
        for (String bad : List.of("", "abc", "tab\there\n", "cr\r\n", "lone \ud800 surrogate\n"))
            assertThatThrownBy(() -> SignedNote.sign(bad, peter)).as(bad).isInstanceOf(IllegalArgumentException.class);
        assertThat(SignedNote.sign("emoji 🗳️ ok\n", peter)).isNotEmpty();
    }

    @Test
    void keyNamesFollowTheSpec() {
        for (String bad : List.of("", "a+b", "a b", "a\tb", "a\u00a0b", "a\u3000b", "a\u2028b", "a\u0085b", "a\nb"))
            assertThatThrownBy(() -> NoteSigner.generate(bad, new SecureRandom())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        assertThat(NoteSigner.generate("kpu.example/pemilu-2024", new SecureRandom()).name())
                .isEqualTo("kpu.example/pemilu-2024");
        assertThat(NoteSigner.generate("pemilu·2024/ü", new SecureRandom()).name()).isEqualTo("pemilu·2024/ü");
    }

    @Test
    void mangledVerifierKeysAreRefused() {
        // As Go's TestNewVerifier: every proper substring, every single character incremented, and two more.
        assertManglingsRefused(PETER_VKEY, NoteVerifier::parse);
        assertThatThrownBy(() -> NoteVerifier.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mangledPrivateKeysAreRefused() {
        assertManglingsRefused(PETER_SKEY, NoteSigner::parse);
    }

    private static void assertManglingsRefused(String key, java.util.function.Function<String, ?> parse) {
        for (int i = 0; i <= key.length(); i++)
            for (int j = i + 1; j <= key.length(); j++) {
                if (i == 0 && j == key.length()) continue;
                String sub = key.substring(i, j);
                assertThatThrownBy(() -> parse.apply(sub)).as(sub).isInstanceOf(IllegalArgumentException.class);
            }
        char[] c = key.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i]++;
            String changed = new String(c);
            assertThatThrownBy(() -> parse.apply(changed)).as(changed).isInstanceOf(IllegalArgumentException.class);
            c[i]--;
        }
    }
}
