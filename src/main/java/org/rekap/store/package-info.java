/**
 * Durable storage behind {@link org.rekap.store.ElectionStore}: the election's set-up and the append-only log.
 * SQLite is the embedded default, PostgreSQL the production store; both run the same SQL ({@code Tables}) and
 * {@link org.rekap.store.Stores} picks one from a URL.
 */
package org.rekap.store;
