package org.rekap.publish;

/** One public JSON document, immutable: its bytes, a strong ETag, and the log size it reflects. */
public record Document(byte[] body, String etag, long logSize) {}
