package org.rekap.codec;

import java.util.List;

/** An input file was refused as a whole; {@link #errors()} lists every problem found (up to a cap). */
public final class InvalidInputException extends Exception {
    private final transient List<InputError> errors;

    public InvalidInputException(List<InputError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.getFirst().describe("input"));
        this.errors = List.copyOf(errors);
    }

    public List<InputError> errors() {
        return errors;
    }
}
