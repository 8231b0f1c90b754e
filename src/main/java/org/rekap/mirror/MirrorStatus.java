package org.rekap.mirror;

import java.time.Instant;

/**
 * What a mirror reports about itself ({@code /mirror/status.json}): the origin, the log size it serves and when it
 * verified it, and the outcome of the last poll: {@code synced}, {@code up_to_date}, {@code origin_unreachable},
 * {@code refused} (the origin served something that does not verify), or {@code origin_moving} (the origin published
 * a newer snapshot while it was being read; tried again at the next poll).
 */
public record MirrorStatus(String origin, boolean serving, long logSize, Instant verifiedAt, Instant lastAttempt,
        String lastOutcome, String lastProblem, long synced, long refused, long unreachable) {}
