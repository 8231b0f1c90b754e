package org.rekap.sheet;

/** The consistency rules a correct C.Hasil satisfies. Breaking one makes a sheet "perlu diperiksa", not a lie. */
public enum Rule {
    NON_NEGATIVE("no count is negative"),
    SEX_SUM("L + P equals the total"),
    LIST_SUM("the total row equals DPT + DPTb + DPK"),
    VOTED_WITHIN_REGISTERED("voters who voted from a list do not exceed that list"),
    CAST_WITHIN_VOTERS("total cast does not exceed DPT + DPTb + DPK"),
    BALLOTS_SUM("ballots received = used + unused + damaged"),
    CAST_EQUALS_USED("total cast equals ballots used"),
    VOTED_EQUALS_USED("voters who voted equal ballots used"),
    CAST_SUM("total cast = valid + invalid"),
    CHOICE_SUM("a choice's total = its own votes + its candidates' votes"),
    VALID_SUM("total valid = the sum of the choices' totals"),
    CHOICE_WITHIN_VOTERS("no choice exceeds the voters of the TPS");

    private final String description;

    Rule(String description) {
        this.description = description;
    }

    /** The rule's stable name in documents and APIs, e.g. {@code cast_sum}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String description() {
        return description;
    }
}
