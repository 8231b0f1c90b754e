package org.rekap.guard;

import java.util.concurrent.RejectedExecutionException;

/** Thrown instead of queueing blocking work beyond a side's budget; answered with 503 and Retry-After. */
public final class Shed extends RejectedExecutionException {
    public Shed(String side) {
        super("the " + side + " side is at its limit of waiting work");
    }
}
