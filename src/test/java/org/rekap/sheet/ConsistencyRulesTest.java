package org.rekap.sheet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The consistency rules of a C.Hasil. Every case starts from a correct sheet written out below and changes a few
 * numbers; the comments show the arithmetic so a reader can check it by hand.
 */
class ConsistencyRulesTest {

    /**
     * A mutable copy of a correct PPWP sheet at a TPS with 254 voters:
     *
     * <pre>
     *                 L    P   total
     * registered DPT 120  130  250
     *            DPTb  2    1    3
     *            DPK   1    0    1
     *            total 123 131  254
     * voted      DPT 100  110  210
     *            DPTb  2    1    3
     *            DPK   1    0    1
     *            total 103 111  214
     * ballots: received 260 = used 214 + unused 45 + damaged 1
     * votes:   pair 1: 70, pair 2: 123, pair 3: 17  -> valid 210
     *          valid 210 + invalid 4 = cast 214 = ballots used = voted total
     * </pre>
     */
    static final class Draft {
        SexCount regDpt = new SexCount(120, 130, 250);
        SexCount regDptb = new SexCount(2, 1, 3);
        SexCount regDpk = new SexCount(1, 0, 1);
        SexCount regTotal = new SexCount(123, 131, 254);
        SexCount votDpt = new SexCount(100, 110, 210);
        SexCount votDptb = new SexCount(2, 1, 3);
        SexCount votDpk = new SexCount(1, 0, 1);
        SexCount votTotal = new SexCount(103, 111, 214);
        int received = 260, used = 214, unused = 45, damaged = 1;
        List<ChoiceVotes> votes = new ArrayList<>(List.of(
                ChoiceVotes.single(1, 70), ChoiceVotes.single(2, 123), ChoiceVotes.single(3, 17)));
        int valid = 210, invalid = 4, cast = 214;
        String contest = "ppwp";

        TallySheet build() {
            return new TallySheet("11.01.01.2001.001", contest,
                    new VoterLists(regDpt, regDptb, regDpk, regTotal),
                    new VoterLists(votDpt, votDptb, votDpk, votTotal),
                    new Ballots(received, used, unused, damaged), votes, valid, invalid, cast,
                    List.of("0".repeat(64)));
        }
    }

    /**
     * The same TPS with a DPR-style party ballot (same voter and ballot numbers):
     *
     * <pre>
     * party 1: party only 20 + candidates 30 + 10 + 5 = 65
     * party 2: party only 15 + candidates 40 + 25     = 80
     * party 3: party only  5 + candidates 50 + 10     = 65
     * valid 65 + 80 + 65 = 210, invalid 4, cast 214
     * </pre>
     */
    static Draft partyDraft() {
        Draft d = new Draft();
        d.contest = "dpr-aceh-1";
        d.votes = new ArrayList<>(List.of(
                ChoiceVotes.party(1, 20, List.of(30, 10, 5)),
                ChoiceVotes.party(2, 15, List.of(40, 25)),
                ChoiceVotes.party(3, 5, List.of(50, 10))));
        return d;
    }

    private static Set<Rule> rules(List<Violation> violations) {
        return violations.stream().map(Violation::rule).collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    }

    @Test
    void aCorrectPresidentialSheetBreaksNoRule() {
        TallySheet s = new Draft().build();
        assertThat(s.voters()).isEqualTo(254);
        assertThat(ConsistencyRules.check(s)).isEmpty();
    }

    @Test
    void aCorrectPartySheetBreaksNoRule() {
        TallySheet s = partyDraft().build();
        assertThat(s.votes()).extracting(ChoiceVotes::total).containsExactly(65, 80, 65);
        assertThat(ConsistencyRules.check(s)).isEmpty();
    }

    /** One case per rule: the change, the field that must be named, and every rule the change breaks. */
    static Stream<Arguments> oneBrokenRule() {
        return Stream.of(
                // damaged -1 and unused 47 keep received 260 = 214 + 47 - 1: only the sign is wrong.
                Arguments.of(Rule.NON_NEGATIVE, "ballots.damaged", EnumSet.of(Rule.NON_NEGATIVE),
                        (Consumer<Draft>) d -> {
                            d.damaged = -1;
                            d.unused = 47;
                        }, false),
                // DPT L 121 + P 130 = 251 but written 250; the total row's L follows (124), so its
                // L 124 + P 131 = 255 != 254 as well. The list sums still hold: 121 + 2 + 1 = 124.
                Arguments.of(Rule.SEX_SUM, "registered.dpt.total", EnumSet.of(Rule.SEX_SUM),
                        (Consumer<Draft>) d -> {
                            d.regDpt = new SexCount(121, 130, 250);
                            d.regTotal = new SexCount(124, 131, 254);
                        }, false),
                // Total row L 124 P 130 (= 254, sex sum fine) but DPT+DPTb+DPK gives L 123, P 131.
                Arguments.of(Rule.LIST_SUM, "registered.total.l", EnumSet.of(Rule.LIST_SUM),
                        (Consumer<Draft>) d -> d.regTotal = new SexCount(124, 130, 254), false),
                // One voter moves from the DPT row to the DPK row of "voted": DPK voted 2 > DPK registered 1.
                // Voted DPT 100 + 109 = 209; voted total still 103 / 111 / 214.
                Arguments.of(Rule.VOTED_WITHIN_REGISTERED, "voted.dpk.total", EnumSet.of(Rule.VOTED_WITHIN_REGISTERED),
                        (Consumer<Draft>) d -> {
                            d.votDpt = new SexCount(100, 109, 209);
                            d.votDpk = new SexCount(1, 1, 2);
                        }, false),
                // Cast cannot exceed the voters while every list holds (cast = voted <= registered), so this case
                // also breaks VOTED_WITHIN_REGISTERED: registered DPT 90 + 100 = 190, total 93 / 101 / 194 voters,
                // and 210 voted from that DPT; cast 214 > 194.
                Arguments.of(Rule.CAST_WITHIN_VOTERS, "cast",
                        EnumSet.of(Rule.CAST_WITHIN_VOTERS, Rule.VOTED_WITHIN_REGISTERED),
                        (Consumer<Draft>) d -> {
                            d.regDpt = new SexCount(90, 100, 190);
                            d.regTotal = new SexCount(93, 101, 194);
                        }, false),
                // received written 270, but 214 + 45 + 1 = 260.
                Arguments.of(Rule.BALLOTS_SUM, "ballots.received", EnumSet.of(Rule.BALLOTS_SUM),
                        (Consumer<Draft>) d -> d.received = 270, false),
                // valid 210 + invalid 3 = cast 213, but 214 ballots were used (and 214 voted).
                Arguments.of(Rule.CAST_EQUALS_USED, "cast", EnumSet.of(Rule.CAST_EQUALS_USED),
                        (Consumer<Draft>) d -> {
                            d.invalid = 3;
                            d.cast = 213;
                        }, false),
                // Voted DPT 100 + 109 = 209, voted total 103 + 110 = 213, but 214 ballots were used.
                Arguments.of(Rule.VOTED_EQUALS_USED, "voted.total.total", EnumSet.of(Rule.VOTED_EQUALS_USED),
                        (Consumer<Draft>) d -> {
                            d.votDpt = new SexCount(100, 109, 209);
                            d.votTotal = new SexCount(103, 110, 213);
                        }, false),
                // valid 210 + invalid 5 = 215, cast written 214.
                Arguments.of(Rule.CAST_SUM, "cast", EnumSet.of(Rule.CAST_SUM),
                        (Consumer<Draft>) d -> d.invalid = 5, false),
                // Party 1 written 66 though 20 + 30 + 10 + 5 = 65; valid follows the written totals
                // (66 + 80 + 65 = 211) and invalid 3 keeps 211 + 3 = 214.
                Arguments.of(Rule.CHOICE_SUM, "votes[0].total", EnumSet.of(Rule.CHOICE_SUM),
                        (Consumer<Draft>) d -> {
                            d.votes.set(0, new ChoiceVotes(1, 20, List.of(30, 10, 5), 66));
                            d.valid = 211;
                            d.invalid = 3;
                        }, true),
                // valid written 211 (with invalid 3, so 211 + 3 = 214), but the pairs add up to 210.
                Arguments.of(Rule.VALID_SUM, "valid", EnumSet.of(Rule.VALID_SUM),
                        (Consumer<Draft>) d -> {
                            d.valid = 211;
                            d.invalid = 3;
                        }, false),
                // A choice above the voters cannot fit in a valid total that itself fits, so VALID_SUM comes
                // along: pair 2's 123 read as 323 > 254 voters; the pairs add up to 410, written 210.
                Arguments.of(Rule.CHOICE_WITHIN_VOTERS, "votes[1].total",
                        EnumSet.of(Rule.CHOICE_WITHIN_VOTERS, Rule.VALID_SUM),
                        (Consumer<Draft>) d -> d.votes.set(1, ChoiceVotes.single(2, 323)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneBrokenRule")
    void eachRuleIsReportedWithItsField(Rule rule, String field, Set<Rule> allBroken, Consumer<Draft> change,
            boolean partySheet) {
        Draft d = partySheet ? partyDraft() : new Draft();
        change.accept(d);
        List<Violation> violations = ConsistencyRules.check(d.build());
        assertThat(violations).anySatisfy(v -> {
            assertThat(v.rule()).isEqualTo(rule);
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.detail()).isNotBlank();
        });
        assertThat(rules(violations)).isEqualTo(allBroken);
    }

    @Test
    void theCasesAboveCoverEveryRule() {
        Set<Rule> covered = oneBrokenRule().map(a -> (Rule) a.get()[0]).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(Rule.values());
    }

    @Test
    void aNegativeCountIsNamedByItsFieldPath() {
        Draft d = partyDraft();
        // Candidate 2 of party 2 written -5: party 2 = 15 + 40 - 5 = 50 (total written to match), valid
        // 65 + 50 + 65 = 180, invalid 34 keeps the cast 214. Only the sign is wrong.
        d.votes.set(1, ChoiceVotes.party(2, 15, List.of(40, -5)));
        d.valid = 180;
        d.invalid = 34;
        List<Violation> violations = ConsistencyRules.check(d.build());
        assertThat(violations).extracting(Violation::rule, Violation::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.NON_NEGATIVE, "votes[1].candidates[1]"));
    }

    @Test
    void aSheetBreakingSeveralRulesGetsAllOfThemReported() {
        Draft d = new Draft();
        d.received = 270;                              // BALLOTS_SUM: 214 + 45 + 1 = 260
        d.invalid = 5;                                 // CAST_SUM: 210 + 5 = 215 != 214
        d.votDpk = new SexCount(1, 1, 3);              // SEX_SUM: 1 + 1 = 2 != 3; VOTED_WITHIN_REGISTERED: 3 > 1;
                                                       // LIST_SUM: P 110 + 1 + 1 = 112 != 111, 210 + 3 + 3 = 216 != 214
        d.votes.set(0, new ChoiceVotes(1, 70, List.of(), 71)); // CHOICE_SUM: 70 != 71; VALID_SUM: 71 + 123 + 17 = 211 != 210
        List<Violation> violations = ConsistencyRules.check(d.build());
        assertThat(rules(violations)).containsExactlyInAnyOrder(Rule.BALLOTS_SUM, Rule.CAST_SUM, Rule.SEX_SUM,
                Rule.VOTED_WITHIN_REGISTERED, Rule.LIST_SUM, Rule.CHOICE_SUM, Rule.VALID_SUM);
        assertThat(violations).extracting(Violation::field).contains("ballots.received", "cast", "voted.dpk.total",
                "voted.total.p", "voted.total.total", "votes[0].total", "valid");
    }

    @Test
    void seventeenMisreadAs817BreaksTheValidSumAndExceedsTheVoters() {
        Draft d = new Draft();
        // Pair 3 had 17; OCR read 817. The pairs now add up to 70 + 123 + 817 = 1010, valid still says 210,
        // and 817 > 254 voters.
        d.votes.set(2, ChoiceVotes.single(3, 817));
        List<Violation> violations = ConsistencyRules.check(d.build());
        assertThat(violations).extracting(Violation::rule, Violation::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Rule.CHOICE_WITHIN_VOTERS, "votes[2].total"),
                org.assertj.core.groups.Tuple.tuple(Rule.VALID_SUM, "valid"));
        assertThat(violations).filteredOn(v -> v.rule() == Rule.VALID_SUM).singleElement()
                .extracting(Violation::detail).asString().contains("1010").contains("210");
    }

    @Test
    void eightyFourMisreadAs884AndOneAs441AreEachOverTheVoters() {
        // A sheet where pair 2 had 84 (70 + 84 + 56 = 210) read as 884: 884 > 254 voters and 70 + 884 + 56 = 1010.
        Draft d = new Draft();
        d.votes = new ArrayList<>(List.of(ChoiceVotes.single(1, 70), ChoiceVotes.single(2, 884), ChoiceVotes.single(3, 56)));
        assertThat(rules(ConsistencyRules.check(d.build()))).containsExactlyInAnyOrder(Rule.CHOICE_WITHIN_VOTERS, Rule.VALID_SUM);

        // A sheet where pair 1 had 1 vote (1 + 123 + 86 = 210) read as 441: 441 > 254 voters and sum 650 != 210.
        Draft e = new Draft();
        e.votes = new ArrayList<>(List.of(ChoiceVotes.single(1, 441), ChoiceVotes.single(2, 123), ChoiceVotes.single(3, 86)));
        List<Violation> violations = ConsistencyRules.check(e.build());
        assertThat(violations).extracting(Violation::rule, Violation::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Rule.CHOICE_WITHIN_VOTERS, "votes[0].total"),
                org.assertj.core.groups.Tuple.tuple(Rule.VALID_SUM, "valid"));
    }

    @Test
    void aMisreadThatStaysBelowTheVotersBreaksOnlyTheValidSum() {
        Draft d = new Draft();
        // Pair 1's 70 read as 170: 170 <= 254 voters, but 170 + 123 + 17 = 310 != 210.
        d.votes.set(0, ChoiceVotes.single(1, 170));
        assertThat(ConsistencyRules.check(d.build())).extracting(Violation::rule).containsExactly(Rule.VALID_SUM);
    }

    @Test
    void aChoiceEqualToTheVotersIsAllowed() {
        // Everyone voted for pair 1: 254 registered, 254 voted, 254 ballots used, pair 1 has 254 = voters.
        Draft d = new Draft();
        d.votDpt = new SexCount(120, 130, 250);
        d.votDptb = new SexCount(2, 1, 3);
        d.votDpk = new SexCount(1, 0, 1);
        d.votTotal = new SexCount(123, 131, 254);
        d.used = 254;
        d.unused = 5;
        d.damaged = 1;                                   // 254 + 5 + 1 = 260
        d.votes = new ArrayList<>(List.of(ChoiceVotes.single(1, 254), ChoiceVotes.single(2, 0), ChoiceVotes.single(3, 0)));
        d.valid = 254;
        d.invalid = 0;
        d.cast = 254;
        assertThat(ConsistencyRules.check(d.build())).isEmpty();
    }

    @Test
    void ruleIdsAreTheLowerCaseNames() {
        assertThat(Rule.CAST_SUM.id()).isEqualTo("cast_sum");
        assertThat(Rule.CHOICE_WITHIN_VOTERS.id()).isEqualTo("choice_within_voters");
    }
}
