package org.rekap.tally;

/**
 * A region's (or TPS's) numbers for one contest at one moment: progress (TPS counted, held for review, in the
 * district), registered voters, the counted sheets' sums, and votes per choice ({@code choiceVotes} = the choice's
 * own or party-only votes, {@code choiceTotals} = with its candidates) and per candidate in ballot order.
 */
public record Totals(
        int node,
        long tpsCounted,
        long tpsHeld,
        long tpsTotal,
        long dpt,
        long voted,
        long valid,
        long invalid,
        long cast,
        long[] choiceVotes,
        long[] choiceTotals,
        long[] candidateVotes) {}
