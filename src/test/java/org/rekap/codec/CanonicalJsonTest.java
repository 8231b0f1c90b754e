package org.rekap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Canonical JSON (RFC 8785 for integers and strings): sorted keys, no whitespace, JCS string escaping. */
class CanonicalJsonTest {

    private static String canonical(JsonNode node) {
        return new String(CanonicalJson.write(node), StandardCharsets.UTF_8);
    }

    private static String canonical(String json) throws Exception {
        return canonical(Json.MAPPER.readTree(json));
    }

    private static String text(String s) {
        return canonical(TextNode.valueOf(s));
    }

    @Test
    void keysAreSortedAtEveryLevelAndWhitespaceDropped() throws Exception {
        assertThat(canonical("{ \"b\" : 1,\n \"a\" : { \"d\" : [ 1, 2 ], \"c\" : null, \"e\": true } }"))
                .isEqualTo("{\"a\":{\"c\":null,\"d\":[1,2],\"e\":true},\"b\":1}");
        assertThat(canonical("[ {\"z\":0,\"y\":[]} , {} ]")).isEqualTo("[{\"y\":[],\"z\":0},{}]");
    }

    @Test
    void keysSortByUtf16CodeUnitsNotByCodePoints() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("\uFF21", 1);          // FULLWIDTH A, U+FF21: one code unit 0xFF21
        o.put("\uD83D\uDE00", 2);    // U+1F600 as code units 0xD83D 0xDE00: sorts first though its code point is larger
        o.put("a", 3);
        o.put("B", 4);               // 0x42 < 0x61
        assertThat(canonical(o)).isEqualTo("{\"B\":4,\"a\":3,\"\uD83D\uDE00\":2,\"\uFF21\":1}");
    }

    @Test
    void controlCharactersWithoutAShortFormAreLowerCaseHexEscapes() {
        assertThat(text("\u0001")).isEqualTo("\"\\u0001\"");
        assertThat(text("\u001f")).isEqualTo("\"\\u001f\"");
        assertThat(text("a\u000bb")).isEqualTo("\"a\\u000bb\"");
        assertThat(text("\u0000")).isEqualTo("\"\\u0000\"");
    }

    @Test
    void controlCharactersWithAShortFormUseIt() {
        assertThat(text("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndNothingElse() {
        assertThat(text("say \"17\"")).isEqualTo("\"say \\\"17\\\"\"");
        assertThat(text("C:\\x")).isEqualTo("\"C:\\\\x\"");
        // Solidus, DEL and the line separator U+2028 stay as they are in JCS.
        assertThat(text("a/b\u007f\u2028")).isEqualTo("\"a/b\u007f\u2028\"");
    }

    @Test
    void nonAsciiIsKeptAsUtf8() {
        byte[] out = CanonicalJson.write(TextNode.valueOf("é€😀"));
        assertThat(out).containsExactly(
                '"',
                0xC3, 0xA9,                 // é U+00E9
                0xE2, 0x82, 0xAC,           // € U+20AC
                0xF0, 0x9F, 0x98, 0x80,     // 😀 U+1F600
                '"');
    }

    @Test
    void floatsAreRefused() throws Exception {
        assertThatThrownBy(() -> CanonicalJson.write(DoubleNode.valueOf(1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("integers");
        assertThatThrownBy(() -> CanonicalJson.write(DecimalNode.valueOf(new BigDecimal("0.1"))))
                .isInstanceOf(IllegalArgumentException.class);
        JsonNode nested = Json.MAPPER.readTree("{\"a\":[1,2.5]}");
        assertThatThrownBy(() -> CanonicalJson.write(nested)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2.5");
    }

    @Test
    void integersBeyondSixtyFourBitsAreRefusedAndTheLimitsKept() {
        assertThatThrownBy(() -> CanonicalJson.write(JsonNodeFactory.instance.numberNode(BigInteger.TWO.pow(64))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(canonical(JsonNodeFactory.instance.numberNode(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
        assertThat(canonical(JsonNodeFactory.instance.numberNode(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(canonical(JsonNodeFactory.instance.numberNode(-0))).isEqualTo("0");
    }

    @Test
    void aLoneSurrogateIsRefusedRatherThanWrittenAsAQuestionMark() {
        // "\ud800" is not a Unicode string; writing it as "?" would give it the bytes of the string "?".
        assertThat(text("?")).isEqualTo("\"?\"");
        assertThatThrownBy(() -> CanonicalJson.write(TextNode.valueOf("\uD800")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBytesHashToASha256ComputedOutsideOurCode() throws Exception {
        // Computed on a shell:
        //   printf '{"a":"x\\u0001\\"\\\\","b":[1,-2,"\xc3\xa9\xe2\x82\xac"]}' > cj.json && sha256sum cj.json
        // cj.json holds {"a":"x\u0001\"\\","b":[1,-2,"é€"]} (38 bytes).
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("b").add(1).add(-2).add("é€");
        o.put("a", "x\u0001\"\\");
        byte[] out = CanonicalJson.write(o);
        assertThat(out).hasSize(38);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out)))
                .isEqualTo("cf0ecaaa9095c316f76f30c60ba0e87445543d8e2a1248665ea1db29432ad0c4");
    }
}
