package org.rekap.sheet;

/** One broken rule on one sheet: which rule, at which field, and the numbers that disagree, in words. */
public record Violation(Rule rule, String field, String detail) {}
