package org.rekap.web;

import java.util.ArrayList;
import java.util.List;

/**
 * How long each phase of a server's start took, in order: what a restart spends its time on (set-up load, tree,
 * state restore or replay, first snapshot), reported in the start event and read by the restart benchmark.
 */
public final class StartPhases {
    /** One phase and its wall-clock duration. */
    public record Phase(String name, long millis) {}

    private final List<Phase> phases = new ArrayList<>();
    private long last = System.nanoTime();

    /** Ends the current phase under {@code name}; the next one starts now. */
    public synchronized void mark(String name) {
        long now = System.nanoTime();
        phases.add(new Phase(name, (now - last) / 1_000_000));
        last = now;
    }

    public synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    /** Name/milliseconds pairs for {@link EventLog#event}. */
    synchronized Object[] keyValues() {
        Object[] kv = new Object[phases.size() * 2];
        for (int i = 0; i < phases.size(); i++) {
            kv[2 * i] = phases.get(i).name() + "_ms";
            kv[2 * i + 1] = phases.get(i).millis();
        }
        return kv;
    }
}
