package org.rekap.export;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The public pages (from the jar, or the classes directory in development), without the officer app. The export's
 * {@code index.html} carries a marker that tells the page it is static (app.js): which levels have download files, and
 * that TPS pages are built in the browser where the export has no file for them.
 */
final class StaticPages {
    /** The officer app ({@code petugas/}) is the write side and stays on the origin. */
    private static final String OFFICER_APP = "petugas";
    private static final String HEAD = "<head>";

    private StaticPages() {}

    static void copy(ExportFiles out) throws IOException {
        java.net.URL index = StaticPages.class.getResource("/web/index.html");
        if (index == null) throw new IllegalStateException("the public pages are missing from the jar");
        try {
            URI uri = index.toURI();
            if (uri.getScheme().equals("jar")) {
                try (var fs = FileSystems.newFileSystem(uri, Map.of())) {
                    copy(fs.getPath("/web"), out);
                }
            } else {
                copy(Path.of(uri).getParent(), out);
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path web, ExportFiles out) throws IOException {
        try (var paths = Files.list(web)) {
            for (Path p : paths.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(OFFICER_APP) || !Files.isRegularFile(p)) continue;
                byte[] body = Files.readAllBytes(p);
                if (name.equals("index.html")) body = marked(body);
                out.putCompressed(name, body, Deflater.DEFAULT_COMPRESSION);
            }
        }
    }

    /** index.html with {@code <meta name="rekap-export" data-download-depth="N">} first in its head. */
    static byte[] marked(byte[] index) {
        String html = new String(index, StandardCharsets.UTF_8);
        int at = html.indexOf(HEAD);
        if (at < 0) throw new IllegalStateException("index.html has no " + HEAD);
        String marker = "\n<meta name=\"rekap-export\" data-download-depth=\"" + SiteExport.UPPER_DEPTH + "\">";
        return (html.substring(0, at + HEAD.length()) + marker + html.substring(at + HEAD.length()))
                .getBytes(StandardCharsets.UTF_8);
    }
}
