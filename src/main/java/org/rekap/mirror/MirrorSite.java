package org.rekap.mirror;

import java.time.Instant;
import java.util.Map;
import org.rekap.publish.Document;

/**
 * One verified state of the origin's site, served as a whole: every file by its path (without a leading slash) as a
 * precomputed {@link Document}, all of the log size {@code logSize} that {@code checkpoint} signs. {@code fetched}
 * keeps what the origin sent (with ETags) so the next sync asks only for what changed. Immutable; the mirror swaps
 * whole sites.
 */
public record MirrorSite(long logSize, byte[] checkpoint, Map<String, Document> files,
        Map<String, RecordingSource.Fetched> fetched, Instant verifiedAt) {
    public Document file(String path) {
        return files.get(path);
    }
}
