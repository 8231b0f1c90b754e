/** Load clients: many simulated officers submitting sheets over real HTTP. */
package org.rekap.simulate;
