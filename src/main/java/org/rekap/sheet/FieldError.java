package org.rekap.sheet;

/** Why input was refused: the field (a JSON path like {@code sheet.votes[2].total}), the rule's id, and a sentence. */
public record FieldError(String field, String rule, String message) {}
