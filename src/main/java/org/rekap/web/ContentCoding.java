package org.rekap.web;

/** Content negotiation for precomputed documents: which coding to send, and ETag matching across codings. */
final class ContentCoding {
    private ContentCoding() {}

    /** "br", "gzip" or "identity": the best coding the client accepts (q=0 excludes), brotli first. */
    static String choose(String acceptEncoding, boolean brotliAvailable) {
        if (acceptEncoding == null) return "identity";
        boolean br = false, gzip = false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim().toLowerCase(java.util.Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (refused) continue;
            if (coding.equals("br")) br = true;
            else if (coding.equals("gzip") || coding.equals("x-gzip")) gzip = true;
            else if (coding.equals("*")) {
                br = true;
                gzip = true;
            }
        }
        return br && brotliAvailable ? "br" : gzip ? "gzip" : "identity";
    }

    static String etagSuffix(String coding) {
        return switch (coding) {
            case "br" -> "-br";
            case "gzip" -> "-gz";
            default -> "";
        };
    }

    /**
     * Whether If-None-Match names this content in any coding: the bytes differ per coding but the content is the
     * same, and a cache that stored one coding may revalidate with its tag.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        String bare = etag.substring(1, etag.length() - 1);
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*")) return true;
            if (t.startsWith("W/")) t = t.substring(2);
            if (t.length() < 2 || t.charAt(0) != '"') continue;
            t = t.substring(1, t.length() - 1);
            if (t.equals(bare) || t.equals(bare + "-gz") || t.equals(bare + "-br")) return true;
        }
        return false;
    }
}
