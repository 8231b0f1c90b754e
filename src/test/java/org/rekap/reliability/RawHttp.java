package org.rekap.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The smallest HTTP/1.1 response reader, for load clients that write prepared request bytes on raw sockets (they
 * must cost the machine as little as possible, and abusive ones must behave as no library would).
 */
public final class RawHttp {
    /** A response: status, headers with lower-case names, and the body (empty after a HEAD). */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }

    private RawHttp() {}

    /** Reads one response; null when the connection ends first. Bodies must have a Content-Length (ours all do). */
    public static Response read(InputStream in, boolean head) throws IOException {
        StringBuilder line = new StringBuilder();
        Map<String, String> headers = new HashMap<>();
        int status = -1, b, prev = 0;
        while ((b = in.read()) >= 0) {
            if (b == '\n' && prev == '\r') {
                String l = line.toString();
                line.setLength(0);
                if (l.isEmpty()) {
                    String length = headers.get("content-length");
                    byte[] body = head || length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
                    return new Response(status, headers, body);
                }
                if (status < 0) status = Integer.parseInt(l.substring(9, 12));
                else {
                    int colon = l.indexOf(':');
                    if (colon > 0) headers.put(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).trim());
                }
            } else if (b != '\r') line.append((char) b);
            prev = b;
        }
        return null;
    }
}
