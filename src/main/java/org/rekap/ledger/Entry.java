package org.rekap.ledger;

import java.time.Instant;

/** A state-changing event. Closed: each kind has one canonical encoding, see {@code docs/formats.md}. */
public sealed interface Entry permits SheetSubmitted, DeviceEnrolled, DeviceRevoked, ReviewDecided {
    /** The entry's type name in its canonical encoding. */
    String type();

    /** When the server accepted it. */
    Instant receivedAt();
}
