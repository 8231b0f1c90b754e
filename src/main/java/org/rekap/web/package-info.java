/**
 * HTTP at the edge (Vert.x): the read side answers from precomputed bytes on the event loop; the officer side does
 * its blocking work (parsing, group commit) on virtual threads and answers once the entry is durable.
 */
package org.rekap.web;
