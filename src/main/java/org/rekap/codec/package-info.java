/**
 * Encodings at the edges: JSON for sheets with field-level errors, the canonical entry bytes, the region CSV and the
 * contests file. Formats are documented in {@code docs/formats.md}.
 */
package org.rekap.codec;
