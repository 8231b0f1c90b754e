package org.rekap.store;

/** The store failed (disk full, file locked, corrupt): the message says what and where. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
