package org.rekap.codec;

/** One problem in an input file: the 1-based line (0 when the problem is not on one line) and what to fix. */
public record InputError(int line, String message) {
    public String describe(String file) {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
