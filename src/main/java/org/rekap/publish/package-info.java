/**
 * Public documents derived from the tally: rendered off the request path, stamped with the log size they reflect,
 * and handed to the read path as immutable bytes.
 */
package org.rekap.publish;
