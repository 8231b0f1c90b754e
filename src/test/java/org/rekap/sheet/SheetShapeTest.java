package org.rekap.sheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.contest.Election;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;

/** Whether a sheet can be a C.Hasil of this election at all; refused sheets are malformed, not anomalous. */
class SheetShapeTest {
    private static final String DESA = "11.01.01.2001";
    /** TPS 1 has 300 voters, TPS 2 an unknown DPT (0), TPS 3 has 500 voters. */
    private static final String TPS_300 = TpsNumbers.tpsCode(DESA, 1);
    private static final String TPS_UNKNOWN_DPT = TpsNumbers.tpsCode(DESA, 2);
    private static final String TPS_500 = TpsNumbers.tpsCode(DESA, 3);
    /** A TPS in province 12, outside the DPD and DPR districts of province 11. */
    private static final String TPS_OTHER_PROVINCE = TpsNumbers.tpsCode("12.01.01.2001", 1);

    private static final Election ELECTION = election();

    private static Election election() {
        List<Region> rows = List.of(
                new Region("11", "", "provinsi", "ACEH", 0),
                new Region("11.01", "11", "kabupaten_kota", "KAB. SIMEULUE", 0),
                new Region("11.01.01", "11.01", "kecamatan", "TEUPAH SELATAN", 0),
                new Region(DESA, "11.01.01", "kelurahan_desa", "LATIUNG", 0),
                new Region(TPS_300, DESA, RegionTree.TPS_LEVEL, "TPS 1", 300),
                new Region(TPS_UNKNOWN_DPT, DESA, RegionTree.TPS_LEVEL, "TPS 2", 0),
                new Region(TPS_500, DESA, RegionTree.TPS_LEVEL, "TPS 3", 500),
                new Region("12", "", "provinsi", "SUMATERA UTARA", 0),
                new Region("12.01", "12", "kabupaten_kota", "KAB. NIAS", 0),
                new Region("12.01.01", "12.01", "kecamatan", "IDANOGAWO", 0),
                new Region("12.01.01.2001", "12.01.01", "kelurahan_desa", "TETEHOSI", 0),
                new Region(TPS_OTHER_PROVINCE, "12.01.01.2001", RegionTree.TPS_LEVEL, "TPS 1", 250));
        RegionTree tree = RegionTree.of("INDONESIA", rows);
        Contest ppwp = new Contest("ppwp", ContestKind.PPWP, "Presiden", List.of(RegionTree.ROOT_CODE), List.of(
                new Choice(1, "Pasangan 1", List.of()), new Choice(2, "Pasangan 2", List.of()),
                new Choice(3, "Pasangan 3", List.of())));
        Contest dpd = new Contest("dpd-11", ContestKind.DPD, "DPD Aceh", List.of("11"), List.of(
                new Choice(1, "Calon A", List.of()), new Choice(2, "Calon B", List.of())));
        Contest dpr = new Contest("dpr-aceh-1", ContestKind.DPR, "DPR Aceh I", List.of("11"), List.of(
                new Choice(1, "Partai Satu", List.of(new Candidate(1, "A"), new Candidate(2, "B"), new Candidate(3, "C"))),
                new Choice(2, "Partai Dua", List.of(new Candidate(1, "D"), new Candidate(2, "E")))));
        return new Election(tree, List.of(ppwp, dpd, dpr));
    }

    /**
     * A consistent sheet for a TPS of 300 voters (DPT L 150 P 150), 200 of whom voted (L 100 P 100); ballots
     * received 306 = used 200 + unused 106 + damaged 0; valid = sum of the given choices, invalid = 200 - valid.
     */
    private static TallySheet sheet(String tps, String contest, List<ChoiceVotes> votes) {
        int valid = votes.stream().mapToInt(ChoiceVotes::total).sum();
        VoterLists registered = VoterLists.of(SexCount.of(150, 150), SexCount.ZERO, SexCount.ZERO);
        VoterLists voted = VoterLists.of(SexCount.of(100, 100), SexCount.ZERO, SexCount.ZERO);
        return new TallySheet(tps, contest, registered, voted, new Ballots(306, 200, 106, 0), votes, valid,
                200 - valid, 200, List.of());
    }

    private static List<ChoiceVotes> ppwpVotes(int a, int b, int c) {
        return List.of(ChoiceVotes.single(1, a), ChoiceVotes.single(2, b), ChoiceVotes.single(3, c));
    }

    /** The well-formed PPWP sheet at a TPS (valid 190 = 90 + 60 + 40) with its votes replaced as an OCR misread would. */
    private static TallySheet misread(String tps, List<ChoiceVotes> votes) {
        TallySheet s = sheet(tps, "ppwp", ppwpVotes(90, 60, 40));
        return new TallySheet(s.tps(), s.contest(), s.registered(), s.voted(), s.ballots(), votes, s.valid(),
                s.invalid(), s.cast(), s.photos());
    }

    private static List<FieldError> check(TallySheet s) {
        return SheetShape.check(s, ELECTION, "sheet.");
    }

    @Test
    void aWellFormedSheetForEachContestIsAccepted() {
        TallySheet ppwp = sheet(TPS_300, "ppwp", ppwpVotes(90, 60, 40));
        TallySheet dpd = sheet(TPS_300, "dpd-11", List.of(ChoiceVotes.single(1, 100), ChoiceVotes.single(2, 95)));
        TallySheet dpr = sheet(TPS_300, "dpr-aceh-1", List.of(ChoiceVotes.party(1, 10, List.of(50, 20, 10)),
                ChoiceVotes.party(2, 5, List.of(60, 40))));
        TallySheet ppwpElsewhere = sheet(TPS_OTHER_PROVINCE, "ppwp", ppwpVotes(90, 60, 40));
        assertThat(check(ppwp)).isEmpty();
        assertThat(check(dpd)).isEmpty();
        assertThat(check(dpr)).isEmpty();
        assertThat(check(ppwpElsewhere)).isEmpty();
        assertThat(ConsistencyRules.check(dpr)).isEmpty();
    }

    @Test
    void anUnknownTpsIsRefused() {
        TallySheet s = sheet(TpsNumbers.tpsCode(DESA, 99), "ppwp", ppwpVotes(90, 60, 40));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.tps", "unknown_tps"));
        assertThat(check(s).getFirst().message()).contains("11.01.01.2001.099");
    }

    @Test
    void aRegionThatIsNotATpsIsAnUnknownTps() {
        TallySheet s = sheet(DESA, "ppwp", ppwpVotes(90, 60, 40));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.tps", "unknown_tps"));
    }

    @Test
    void anUnknownContestIsRefused() {
        TallySheet s = sheet(TPS_300, "dpr-papua-9", ppwpVotes(90, 60, 40));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.contest", "unknown_contest"));
        assertThat(check(s).getFirst().message()).contains("dpr-papua-9");
    }

    @Test
    void anUnknownTpsAndAnUnknownContestAreBothReported() {
        TallySheet s = sheet("99.99", "nope", ppwpVotes(90, 60, 40));
        assertThat(check(s)).extracting(FieldError::rule).containsExactly("unknown_tps", "unknown_contest");
    }

    @Test
    void aTpsOutsideTheContestsDistrictIsRefused() {
        // The DPD of province 11 from a TPS in province 12.
        TallySheet s = sheet(TPS_OTHER_PROVINCE, "dpd-11", List.of(ChoiceVotes.single(1, 100), ChoiceVotes.single(2, 95)));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.tps", "outside_district"));
    }

    @Test
    void aWrongNumberOfChoicesIsRefused() {
        TallySheet s = sheet(TPS_300, "ppwp", List.of(ChoiceVotes.single(1, 100), ChoiceVotes.single(2, 90)));
        List<FieldError> errors = check(s);
        assertThat(errors).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes", "choices_mismatch"));
        assertThat(errors.getFirst().message()).contains("3 choices").contains("has 2");
    }

    @Test
    void aChoiceNumberTheContestDoesNotHaveIsAnUnknownChoice() {
        TallySheet s = sheet(TPS_300, "ppwp", List.of(ChoiceVotes.single(1, 90), ChoiceVotes.single(2, 60),
                ChoiceVotes.single(4, 40)));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[2].choice", "unknown_choice"));
    }

    @Test
    void choicesOutOfBallotOrderAreRefused() {
        TallySheet s = sheet(TPS_300, "ppwp", List.of(ChoiceVotes.single(2, 60), ChoiceVotes.single(1, 90),
                ChoiceVotes.single(3, 40)));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.votes[0].choice", "choice_order"), tuple("sheet.votes[1].choice", "choice_order"));
    }

    @Test
    void aPartyWithTheWrongNumberOfCandidatesIsRefused() {
        // Partai Satu has 3 candidates; the sheet gives 2.
        TallySheet s = sheet(TPS_300, "dpr-aceh-1", List.of(ChoiceVotes.party(1, 10, List.of(50, 30)),
                ChoiceVotes.party(2, 5, List.of(60, 40))));
        List<FieldError> errors = check(s);
        assertThat(errors).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[0].candidates", "candidates_mismatch"));
        assertThat(errors.getFirst().message()).contains("3 candidates").contains("has 2");
    }

    @Test
    void candidateVotesOnAPairBallotAreRefused() {
        TallySheet s = sheet(TPS_300, "ppwp", List.of(ChoiceVotes.party(1, 80, List.of(10)), ChoiceVotes.single(2, 60),
                ChoiceVotes.single(3, 40)));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[0].candidates", "candidates_mismatch"));
    }

    @Test
    void aNegativeCountIsRefusedWithItsFieldPath() {
        List<ChoiceVotes> votes = new ArrayList<>(ppwpVotes(90, 60, 40));
        votes.set(1, ChoiceVotes.single(2, -60));
        TallySheet s = sheet(TPS_300, "ppwp", votes);
        // ChoiceVotes.single writes votes and total alike, so both counts are negative.
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.votes[1].votes", "non_negative"), tuple("sheet.votes[1].total", "non_negative"));
    }

    @Test
    void aCountBeyondTenTimesThreeHundredIsImpossibleAtASmallTps() {
        // TPS of 300 voters: limit 10 x max(300, 300) = 3000. 3000 passes, 3001 is refused.
        assertThat(check(misread(TPS_300, ppwpVotes(3000, 60, 40)))).isEmpty();
        List<FieldError> errors = check(misread(TPS_300, ppwpVotes(3001, 60, 40)));
        assertThat(errors).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.votes[0].votes", "impossible_count"), tuple("sheet.votes[0].total", "impossible_count"));
        assertThat(errors.getFirst().message()).contains("3001").contains("3000");
    }

    @Test
    void aTpsWithUnknownDptIsAssumedToHaveThreeHundredVoters() {
        // DPT 0 (unknown): limit 10 x max(300, 0) = 3000.
        assertThat(check(misread(TPS_UNKNOWN_DPT, ppwpVotes(90, 60, 3000)))).isEmpty();
        assertThat(check(misread(TPS_UNKNOWN_DPT, ppwpVotes(90, 60, 3001)))).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[2].votes", "impossible_count"),
                        tuple("sheet.votes[2].total", "impossible_count"));
    }

    @Test
    void aLargerTpsRaisesTheLimitToTenTimesItsDpt() {
        // TPS of 500 voters: limit 10 x 500 = 5000, so 4999 passes there though it would not at TPS 1 (limit 3000).
        assertThat(check(misread(TPS_500, ppwpVotes(4999, 60, 40)))).isEmpty();
        assertThat(check(misread(TPS_300, ppwpVotes(4999, 60, 40)))).isNotEmpty();
        assertThat(check(misread(TPS_500, ppwpVotes(5001, 60, 40)))).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[0].votes", "impossible_count"),
                        tuple("sheet.votes[0].total", "impossible_count"));
    }

    @Test
    void aNegativeAndAnImpossibleCountAreBothReported() {
        TallySheet s = misread(TPS_300, List.of(ChoiceVotes.single(1, 90), new ChoiceVotes(2, -1, List.of(), 60),
                new ChoiceVotes(3, 40, List.of(), 9_999_999)));
        assertThat(check(s)).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.votes[1].votes", "non_negative"), tuple("sheet.votes[2].total", "impossible_count"));
    }

    @Test
    void seventeenMisreadAs817AtA300VoterTpsIsKeptAsAnAnomalyNotRefused() {
        // Pair 3 had 17 (90 + 93 + 17 = 200); OCR read 817. 817 <= 3000, so the sheet is well-formed ...
        TallySheet s = sheet(TPS_300, "ppwp", ppwpVotes(90, 93, 17));
        assertThat(check(s)).isEmpty();
        assertThat(ConsistencyRules.check(s)).isEmpty();
        TallySheet read = new TallySheet(s.tps(), s.contest(), s.registered(), s.voted(), s.ballots(),
                ppwpVotes(90, 93, 817), s.valid(), s.invalid(), s.cast(), s.photos());
        assertThat(check(read)).isEmpty();
        // ... and the consistency rules flag it for review: 817 > 300 voters, 90 + 93 + 817 = 1000 != 200.
        assertThat(ConsistencyRules.check(read)).extracting(Violation::rule)
                .containsExactlyInAnyOrder(Rule.CHOICE_WITHIN_VOTERS, Rule.VALID_SUM);
    }

    @Test
    void aTpsOfAnotherProvinceStaysOutsideWhenTheDistrictHasARegionWithoutTps() {
        // Province 12 has a kabupaten (12.01) with no TPS at all, as a village with an empty tps_numbers would be.
        // The DPD of province 12 must still refuse the TPS of province 11.
        List<Region> rows = List.of(
                new Region("11", "", "provinsi", "ACEH", 0),
                new Region("11.01", "11", "kabupaten_kota", "SIMEULUE", 0),
                new Region("11.01.001", "11.01", RegionTree.TPS_LEVEL, "TPS 1", 300),
                new Region("12", "", "provinsi", "SUMATERA UTARA", 0),
                new Region("12.01", "12", "kabupaten_kota", "KOSONG", 0),
                new Region("12.02", "12", "kabupaten_kota", "NIAS", 0),
                new Region("12.02.001", "12.02", RegionTree.TPS_LEVEL, "TPS 1", 300));
        Election e = new Election(RegionTree.of("INDONESIA", rows), List.of(new Contest("dpd-12", ContestKind.DPD,
                "DPD Sumatera Utara", List.of("12"), List.of(new Choice(1, "A", List.of()), new Choice(2, "B", List.of())))));
        List<ChoiceVotes> votes = List.of(ChoiceVotes.single(1, 100), ChoiceVotes.single(2, 95));
        assertThat(SheetShape.check(sheet("12.02.001", "dpd-12", votes), e, "sheet.")).isEmpty();
        assertThat(SheetShape.check(sheet("11.01.001", "dpd-12", votes), e, "sheet."))
                .extracting(FieldError::field, FieldError::rule).containsExactly(tuple("sheet.tps", "outside_district"));
    }
}
