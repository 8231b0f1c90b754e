package org.rekap.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Where a site is read from: a Rekap server (or any web server holding a copy) by its base URL, or a directory that
 * holds the same relative paths as files. Paths are relative to the site's root, without a leading slash, e.g.
 * {@code checkpoint}, {@code tile/entries/000.p/17}, {@code api/v1/regions/0/ppwp.json}; proof paths carry a query
 * ({@code api/v1/proof/consistency.json?from=5&to=9}). Implementations are thread-safe.
 */
public interface Source {
    /**
     * A fetched resource: its bytes (decoded if the transfer was compressed) and, when the site says so, the log size of
     * the snapshot it belongs to ({@code X-Rekap-Log-Size}). A directory copy has no such header.
     */
    record Response(String path, byte[] body, OptionalLong logSize) {}

    /**
     * Fetches one path.
     *
     * @throws NotFoundException when the site has nothing there
     * @throws SourceException when the site cannot be read (the whole verification should stop)
     */
    Response fetch(String path) throws NotFoundException, SourceException;

    /** The base URL or directory, for messages. */
    String describe();

    /**
     * How many fetches a verification keeps in flight. An HTTP client that opens a connection per request in flight
     * must stay well below a server's limit of connections per client (64 on Rekap's public side), hence the default.
     */
    default int inFlight() {
        return 16;
    }

    /**
     * The source named by a command-line argument: an {@code http://} or {@code https://} URL, or an existing
     * directory.
     *
     * @throws SourceException saying what is wrong with the argument
     */
    static Source open(String urlOrDirectory) throws SourceException {
        String s = urlOrDirectory.strip();
        if (s.isEmpty()) throw new SourceException("give the base URL of a Rekap site (http://host:port/) or a directory"
                + " holding a copy of one");
        if (s.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            URI uri;
            try {
                uri = new URI(s);
            } catch (URISyntaxException e) {
                throw new SourceException("'" + s + "' is not a valid URL (" + e.getReason() + "); give the site's base"
                        + " URL such as http://localhost:8080/");
            }
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https"))
                throw new SourceException("'" + s + "' is a " + scheme + " URL; only http:// and https:// sites, or a"
                        + " local directory, can be verified");
            if (uri.getHost() == null || uri.getHost().isEmpty())
                throw new SourceException("'" + s + "' names no host; give the site's base URL such as"
                        + " http://localhost:8080/");
            if (uri.getRawQuery() != null || uri.getRawFragment() != null)
                throw new SourceException("'" + s + "' has a query or fragment; give the site's base URL only, such as"
                        + " http://localhost:8080/");
            return new HttpSource(uri, Duration.ofSeconds(10), Duration.ofSeconds(120));
        }
        Path dir = Path.of(s);
        if (Files.isDirectory(dir)) return new DirectorySource(dir);
        if (Files.exists(dir))
            throw new SourceException("'" + s + "' is a file, not a directory; give the directory that holds the copy"
                    + " (with checkpoint, tile/ and api/ in it) or the site's URL");
        throw new SourceException("'" + s + "' is neither a URL (http://... or https://...) nor an existing directory;"
                + " check the spelling, or give the site's base URL such as http://localhost:8080/");
    }
}
