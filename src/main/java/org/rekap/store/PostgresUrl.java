package org.rekap.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives, parsed from {@code postgresql://user[:password]@host[:port]/dbname[?currentSchema=s]}
 * (also {@code postgres://} and {@code jdbc:postgresql://}). Each election (or test) can have its own schema in one
 * database; without {@code currentSchema} it is {@code public}. Other query parameters go to the driver as they are
 * (for example {@code sslmode=verify-full}). The password may also come from {@code PGPASSWORD}, which keeps it off
 * the command line.
 *
 * @param parameters driver properties from the query, without user, password and currentSchema
 */
public record PostgresUrl(String host, int port, String database, String user, String password, String schema,
        Map<String, String> parameters) {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String EXAMPLE = "postgresql://user@host:5432/dbname";

    public PostgresUrl {
        parameters = Map.copyOf(parameters);
    }

    /** True if the text names a PostgreSQL database rather than something else. */
    public static boolean isPostgres(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql://");
    }

    /**
     * @param environmentPassword the password to use when the URL has none ({@code PGPASSWORD}), or null
     * @throws IllegalArgumentException naming what is wrong with the URL
     */
    public static PostgresUrl parse(String url, String environmentPassword) {
        if (!isPostgres(url))
            throw new IllegalArgumentException("'" + redact(url) + "' is not a PostgreSQL URL; write it as " + EXAMPLE);
        URI uri;
        try {
            uri = new URI(url.startsWith("jdbc:") ? url.substring(5) : url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot read the PostgreSQL URL '" + redact(url) + "': " + e.getReason()
                    + "; write it as " + EXAMPLE, e);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty())
            throw new IllegalArgumentException("the PostgreSQL URL '" + redact(url) + "' names no host; write it as " + EXAMPLE);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/"))
            throw new IllegalArgumentException("the PostgreSQL URL '" + redact(url) + "' names no database; write it as " + EXAMPLE);
        String user = null, password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                String[] kv = pair.split("=", 2);
                parameters.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
            }
        }
        if (parameters.containsKey("user")) user = parameters.remove("user");
        if (parameters.containsKey("password")) password = parameters.remove("password");
        if (password == null) password = environmentPassword;
        String schema = parameters.containsKey("currentSchema") ? parameters.remove("currentSchema") : "public";
        if (!SCHEMA.matcher(schema).matches())
            throw new IllegalArgumentException("currentSchema '" + schema + "' is not a plain schema name: use lower-case"
                    + " letters, digits and _ (at most 63), starting with a letter or _");
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new PostgresUrl(uri.getHost(), port, database, user, password, schema, parameters);
    }

    /** The driver's URL, without user, password or schema (those go as properties). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL as it may be shown or logged: never the password. */
    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database
                + (schema.equals("public") ? "" : "?currentSchema=" + schema);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with any password hidden, for error messages about URLs that did not parse. */
    private static String redact(String url) {
        return url.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
