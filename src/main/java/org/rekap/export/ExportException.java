package org.rekap.export;

/** An export that cannot be made, with a message saying what is wrong and what to do. */
public final class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }
}
