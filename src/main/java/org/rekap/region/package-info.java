/** The region tree: administrative regions of any depth, with polling stations (TPS) as leaves. No I/O. */
package org.rekap.region;
