package org.rekap.verify;

/**
 * The site cannot be read at all (bad address, server unreachable, timeouts, an answer that is not HTTP 200 or 404
 * after retries, an unreadable directory): nothing about its honesty can be concluded. The message says what to do.
 */
public final class SourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
