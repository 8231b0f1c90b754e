package org.rekap.publish;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable map made of a large base and a small layer of changes on top, so that a snapshot which changes a few
 * hundred of 275,000 documents costs a copy of the layer, not of the whole map (copying the whole map every second
 * took a third of a 2-core machine's CPU during a national ingest). When the layer reaches an eighth of the base it
 * is folded in: one full copy per many snapshots, amortised to a few entry copies per change.
 */
final class LayeredMap<K, V> extends AbstractMap<K, V> {
    private static final int MIN_FOLD = 4096;
    private final Map<K, V> base;
    private final Map<K, V> top;

    private LayeredMap(Map<K, V> base, Map<K, V> top) {
        this.base = base;
        this.top = top;
    }

    static <K, V> LayeredMap<K, V> of(Map<K, V> all) {
        return new LayeredMap<>(new HashMap<>(all), Map.of());
    }

    static <K, V> LayeredMap<K, V> empty() {
        return new LayeredMap<>(Map.of(), Map.of());
    }

    /** This map with {@code changes} put over it; neither this map nor {@code changes} is modified. */
    LayeredMap<K, V> with(Map<K, V> changes) {
        if (changes.isEmpty()) return this;
        if (top.size() + changes.size() > Math.max(MIN_FOLD, base.size() / 8)) {
            HashMap<K, V> folded = new HashMap<>(base);
            folded.putAll(top);
            folded.putAll(changes);
            return new LayeredMap<>(folded, Map.of());
        }
        HashMap<K, V> layer = new HashMap<>(top);
        layer.putAll(changes);
        return new LayeredMap<>(base, layer);
    }

    @Override
    public V get(Object key) {
        V v = top.get(key);
        return v != null ? v : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return top.containsKey(key) || base.containsKey(key);
    }

    /** A merged copy: for the rare callers that walk every entry (exports), not for lookups. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        HashMap<K, V> all = new HashMap<>(base);
        all.putAll(top);
        return java.util.Collections.unmodifiableMap(all).entrySet();
    }
}
