/**
 * Deterministic synthetic elections for demos, tests and benchmarks: a region tree with the real 2024 shape (small,
 * province or national {@link org.rekap.generate.Scale}), its PPWP, DPD and DPR contests, and a tally sheet for any
 * TPS and contest, about 1% of them anomalous the way real sheets are ({@link org.rekap.generate.Anomaly}).
 *
 * <p>{@link org.rekap.generate.SyntheticElection} does no I/O; {@link org.rekap.generate.ElectionFiles} alone writes
 * the files ({@code regions.csv}, {@code contests.json}, {@code sheets.jsonl}). The same scale and seed always give
 * the same bytes.
 */
package org.rekap.generate;
