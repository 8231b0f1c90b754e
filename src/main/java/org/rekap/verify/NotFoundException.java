package org.rekap.verify;

/** The site has nothing at a path (HTTP 404, or no such file in a copy). */
public final class NotFoundException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;

    public NotFoundException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** The relative path that is missing. */
    public String path() {
        return path;
    }
}
