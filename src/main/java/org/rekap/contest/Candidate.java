package org.rekap.contest;

/** A candidate on a party list, by ballot number within the party. */
public record Candidate(int number, String name) {}
