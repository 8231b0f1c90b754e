package org.rekap.verify;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rekap.ledger.Checkpoint;

/**
 * The outcome of one verification: every finding (what does not hold), what was checked, what could not be checked
 * and why, warnings, and counts. {@link #ok} only when there is no finding.
 */
public final class Report {
    /** Findings kept in memory; beyond this they are only counted. */
    static final int MAX_KEPT = 100_000;
    /** Finding lines shown per file before the rest are summed up. */
    static final int PER_PATH = 10;

    private final String source;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<Finding.Check, Long> byCheck = new EnumMap<>(Finding.Check.class);
    private long total;
    private final List<String> checked = new ArrayList<>();
    private final List<String> notChecked = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private Checkpoint checkpoint;
    private String stateNote;

    Report(String source) {
        this.source = source;
    }

    synchronized void add(Finding f) {
        total++;
        byCheck.merge(f.check(), 1L, Long::sum);
        if (findings.size() < MAX_KEPT) findings.add(f);
    }

    synchronized void checked(String what) {
        checked.add(what);
    }

    /** Inserts lines among what was checked at a position, to keep the report in the order of the checks. */
    synchronized void checkedAt(int index, List<String> what) {
        checked.addAll(Math.min(index, checked.size()), what);
    }

    synchronized void notChecked(String what) {
        if (!notChecked.contains(what)) notChecked.add(what);
    }

    synchronized void warning(String what) {
        if (!warnings.contains(what)) warnings.add(what);
    }

    synchronized void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    synchronized void checkpoint(Checkpoint c) {
        checkpoint = c;
    }

    synchronized void stateNote(String note) {
        stateNote = note;
    }

    /** Whether everything that was checked holds. */
    public synchronized boolean ok() {
        return total == 0;
    }

    /** The findings kept (the first {@value #MAX_KEPT}), in the order they were found. */
    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** How many findings there are in all. */
    public synchronized long findingCount() {
        return total;
    }

    public synchronized List<String> checkedLines() {
        return List.copyOf(checked);
    }

    public synchronized List<String> notCheckedLines() {
        return List.copyOf(notChecked);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Counts of what was verified: entries, hash tiles, documents, download rows. */
    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** The last checkpoint the run verified against (null when none could be read). */
    public synchronized Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * The report as lines: the checkpoint, what was checked, what was not, warnings, then one line per finding (at most
     * {@code maxFindings}), then the summary line.
     */
    public synchronized List<String> lines(int maxFindings) {
        List<String> out = new ArrayList<>();
        out.add("Verified " + source);
        if (checkpoint != null)
            out.add("Checkpoint: " + checkpoint.origin() + ", log size " + checkpoint.size() + ", root "
                    + Base64.getEncoder().encodeToString(checkpoint.rootHash()));
        for (String c : checked) out.add("  checked      " + c);
        for (String n : notChecked) out.add("  NOT CHECKED  " + n);
        for (String w : warnings) out.add("  warning      " + w);
        if (stateNote != null) out.add("  state        " + stateNote);
        if (total > 0) {
            out.add("Findings (what, where, expected, found):");
            // At most PER_PATH lines per document, so that one bad document does not hide the others.
            Map<String, Integer> perPath = new LinkedHashMap<>();
            for (Finding f : findings) if (f.path() != null) perPath.merge(f.path(), 1, Integer::sum);
            Map<String, Integer> shownPerPath = new LinkedHashMap<>();
            int shown = 0;
            long summed = 0;
            for (Finding f : findings) {
                if (shown == maxFindings) break;
                if (f.path() != null) {
                    int n = shownPerPath.merge(f.path(), 1, Integer::sum);
                    if (n > PER_PATH) continue;
                    out.add("  " + f.line());
                    shown++;
                    int all = perPath.get(f.path());
                    if (n == PER_PATH && all > PER_PATH) {
                        out.add("  " + " ".repeat(12) + f.path() + ": " + (all - PER_PATH) + " more finding"
                                + (all - PER_PATH == 1 ? "" : "s") + " in this file");
                        summed += all - PER_PATH;
                    }
                } else {
                    out.add("  " + f.line());
                    shown++;
                }
            }
            long rest = total - shown - summed;
            if (rest > 0)
                out.add("  ... " + rest + " more finding" + (rest == 1 ? "" : "s")
                        + " not shown (raise --max-findings to see more)");
        }
        out.add(summary());
        return out;
    }

    /** One line: OK or FAILED, with the counts. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder();
        if (total == 0) sb.append("OK: everything checked holds");
        else {
            sb.append("FAILED: ").append(String.format(Locale.ROOT, "%,d", total)).append(total == 1 ? " finding (" : " findings (");
            List<String> parts = new ArrayList<>();
            byCheck.forEach((k, v) -> parts.add(k.name() + " " + v));
            sb.append(String.join(", ", parts)).append(')');
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%,d %s", v, k)));
        if (!parts.isEmpty()) sb.append("; ").append(String.join(", ", parts));
        if (checkpoint != null) sb.append("; at log size ").append(checkpoint.size());
        if (!notChecked.isEmpty()) sb.append("; ").append(notChecked.size()).append(" item").append(notChecked.size() == 1 ? "" : "s").append(" not checked");
        return sb.toString();
    }
}
