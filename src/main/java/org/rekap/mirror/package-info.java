/**
 * Verifying mirrors ({@code rekap mirror}): a read-only node that pulls an origin's new checkpoints, verifies the
 * whole site with {@link org.rekap.verify.Verifier} before serving any of it, and keeps its last verified state when the
 * origin is down or serves something that does not verify (docs/export.md).
 */
package org.rekap.mirror;
