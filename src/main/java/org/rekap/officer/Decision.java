package org.rekap.officer;

import java.util.List;
import org.rekap.sheet.FieldError;

/** What {@link Intake} makes of a submission. */
public sealed interface Decision {
    /** New: append it. */
    record Accept() implements Decision {}

    /** A retry of an accepted submission: answer as the first time, store nothing. */
    record Repeat(Receipt receipt) implements Decision {}

    /** Refused with an HTTP status and the fields at fault; nothing is stored. */
    record Refuse(int status, List<FieldError> errors) implements Decision {}
}
