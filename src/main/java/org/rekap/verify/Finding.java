package org.rekap.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing that does not hold: which check, what is wrong, where (the published path, the log position, the region,
 * the contest, the field, each when it applies), and what was expected against what was found.
 */
public record Finding(Check check, String what, String path, Long seq, String region, String contest, String field,
        String expected, String found) {

    /** The families of checks, in the order a run performs them. */
    public enum Check {
        /** The verifier key: the one trusted against the one the site publishes. */
        KEY,
        /** The checkpoint's signed note. */
        SIGNATURE,
        /** The checkpoint's origin line against the log the site (or the state file) names. */
        ORIGIN,
        /** The state file of an earlier run. */
        STATE,
        /** A checkpoint against an earlier one: rollback, fork, consistency proof. */
        CONSISTENCY,
        /** The published set-up (regions, contests) the replay needs. */
        SETUP,
        /** An entry bundle: missing, malformed, too short or too long. */
        BUNDLE,
        /** One log entry: not canonical, does not fit the election, refused by the log's rules, altered. */
        ENTRY,
        /** The root rebuilt from the entries against the signed one. */
        ROOT,
        /** A published hash tile against the hashes computed from the entries. */
        TILE,
        /** An inclusion proof served by the site. */
        PROOF,
        /** A published JSON document against the replay. */
        DOCUMENT,
        /** A CSV or JSON download against the replay, row by row. */
        DOWNLOAD,
        /** A document that could not be matched with a verified log size. */
        SNAPSHOT
    }

    public static Builder of(Check check, String what) {
        return new Builder(check, what);
    }

    /** One line: {@code CHECK  where: what; expected E, found F}. */
    public String line() {
        StringBuilder sb = new StringBuilder(check.name());
        sb.append(" ".repeat(Math.max(1, 12 - check.name().length())));
        String w = where();
        if (!w.isEmpty()) sb.append(w).append(": ");
        sb.append(what);
        if (expected != null || found != null) {
            sb.append("; expected ").append(expected == null ? "(nothing)" : expected);
            sb.append(", found ").append(found == null ? "(nothing)" : found);
        }
        return sb.toString();
    }

    /** The location, e.g. {@code api/v1/regions/11/ppwp.json region 11 contest ppwp field totals.valid}. */
    public String where() {
        List<String> parts = new ArrayList<>(5);
        if (path != null) parts.add(path);
        if (seq != null) parts.add("seq " + seq);
        if (region != null) parts.add("region " + region);
        if (contest != null) parts.add("contest " + contest);
        if (field != null) parts.add("field " + field);
        return String.join(" ", parts);
    }

    @Override
    public String toString() {
        return line();
    }

    /** Fills in a finding's location and values. */
    public static final class Builder {
        private final Check check;
        private final String what;
        private String path, region, contest, field, expected, found;
        private Long seq;

        private Builder(Check check, String what) {
            this.check = check;
            this.what = what;
        }

        public Builder path(String p) {
            path = p;
            return this;
        }

        public Builder seq(long s) {
            seq = s;
            return this;
        }

        public Builder region(String r) {
            region = r;
            return this;
        }

        public Builder contest(String c) {
            contest = c;
            return this;
        }

        public Builder field(String f) {
            field = f;
            return this;
        }

        public Builder expected(Object e) {
            expected = e == null ? null : String.valueOf(e);
            return this;
        }

        public Builder found(Object f) {
            found = f == null ? null : String.valueOf(f);
            return this;
        }

        public Finding build() {
            return new Finding(check, what, path, seq, region, contest, field, expected, found);
        }
    }
}
