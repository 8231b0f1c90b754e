/**
 * The public site as static files ({@code rekap export}): one snapshot of every document, download, TPS page, tile and
 * photo, written beside the target and switched in atomically, for nginx or any static host (docs/export.md).
 */
package org.rekap.export;
