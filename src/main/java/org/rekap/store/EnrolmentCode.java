package org.rekap.store;

import java.time.Instant;
import org.rekap.ledger.Role;

/** An issued code as stored: the SHA-256 of the code, what it enrols (role and scope), and until when. */
public record EnrolmentCode(byte[] codeHash, Role role, String scope, Instant expiresAt) {}
