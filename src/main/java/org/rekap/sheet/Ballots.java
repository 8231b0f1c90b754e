package org.rekap.sheet;

/** Surat suara: received (including the 2% reserve), used, unused (returned), damaged or miscast. */
public record Ballots(int received, int used, int unused, int damaged) {}
