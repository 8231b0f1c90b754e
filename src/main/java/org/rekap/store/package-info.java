/**
 * Durable storage behind {@link org.rekap.store.ElectionStore}: the election's set-up and the append-only log.
 * SQLite is the embedded default; PostgreSQL will be a second driver behind the same interface.
 */
package org.rekap.store;
