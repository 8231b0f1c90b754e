package org.rekap.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** TPS number lists written as ranges: {@code 1-16 901-902}. */
class TpsNumbersTest {

    @Test
    void rangesExpandToEveryNumberInThem() {
        int[] n = TpsNumbers.parse("1-16 901-902");
        assertThat(n).hasSize(18);
        assertThat(n).startsWith(1, 2, 3).endsWith(15, 16, 901, 902);
    }

    @Test
    void aOneNumberRangeAndABareNumberAreOneTps() {
        assertThat(TpsNumbers.parse("1-1")).containsExactly(1);
        assertThat(TpsNumbers.parse("7")).containsExactly(7);
        assertThat(TpsNumbers.parse("2 5-6 9")).containsExactly(2, 5, 6, 9);
    }

    @Test
    void anEmptyListIsAVillageWithoutTps() {
        assertThat(TpsNumbers.parse("")).isEmpty();
        assertThat(TpsNumbers.parse("   ")).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' is refused naming ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "5-3|5-3",               // ends before it starts
            "3 2|2",                 // out of order
            "1-5 5-8|5-8",           // overlaps
            "x|x",
            "0|0",                   // TPS numbers start at 1
            "10000|10000",           // beyond 9999
            "1-|1-",
            "-4|-4",
            "1-2-3|1-2-3",
            "1,2|1,2",
            "+1|+1"})
    void badListsAreRefusedNamingTheBadPart(String text, String named) {
        assertThatThrownBy(() -> TpsNumbers.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void formatWritesTheShortestRanges() {
        assertThat(TpsNumbers.format(new int[] {1, 2, 3, 901})).isEqualTo("1-3 901-901");
        assertThat(TpsNumbers.format(new int[] {4})).isEqualTo("4-4");
        assertThat(TpsNumbers.format(new int[0])).isEmpty();
    }

    @Test
    void tpsCodesAreTheParentAndThreeDigits() {
        assertThat(TpsNumbers.tpsCode("32.04.12.2003", 7)).isEqualTo("32.04.12.2003.007");
        assertThat(TpsNumbers.tpsCode("32.04.12.2003", 16)).isEqualTo("32.04.12.2003.016");
        assertThat(TpsNumbers.tpsCode("32.04.12.2003", 901)).isEqualTo("32.04.12.2003.901");
        assertThat(TpsNumbers.tpsCode("99.01", 1234)).isEqualTo("99.01.1234");
    }

    @Test
    void formatThenParseGivesBackTheNumbersForRandomSets() {
        Random random = new Random(901L);
        for (int round = 0; round < 500; round++) {
            TreeSet<Integer> set = new TreeSet<>();
            int size = random.nextInt(60);
            while (set.size() < size) set.add(1 + random.nextInt(random.nextBoolean() ? 40 : TpsNumbers.MAX_NUMBER));
            int[] numbers = set.stream().mapToInt(Integer::intValue).toArray();
            String text = TpsNumbers.format(numbers);
            assertThat(TpsNumbers.parse(text)).as("round %d: %s", round, text).containsExactly(numbers);
        }
    }
}
