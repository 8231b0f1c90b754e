package org.rekap.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The PostgreSQL server the tests run against: {@code -Drekap.test.postgres=URL}, else {@code REKAP_TEST_POSTGRES},
 * else the local default. Each test gets a schema of its own, so tests are independent and may run alongside others
 * on the same database. When the server does not answer, tests fail (never skip) with a message saying how to start
 * one: a CI run without a database must not pass.
 */
public final class TestPostgres {
    public static final String DEFAULT = "postgresql://postgres@127.0.0.1:5432/test";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPostgres() {}

    public static String url() {
        String url = System.getProperty("rekap.test.postgres");
        if (url == null || url.isBlank()) url = System.getenv("REKAP_TEST_POSTGRES");
        return url == null || url.isBlank() ? DEFAULT : url;
    }

    /** The server's URL with a new schema name nobody uses (the store creates the schema when it opens). */
    public static PostgresUrl freshSchema() {
        PostgresUrl base = PostgresUrl.parse(url(), System.getenv("PGPASSWORD"));
        requireRunning(base);
        String schema = "rekap_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        return new PostgresUrl(base.host(), base.port(), base.database(), base.user(), base.password(), schema, base.parameters());
    }

    /** The {@code --db} text for {@code url}, with its schema. */
    public static String dbArgument(PostgresUrl url) {
        return url.toString().contains("?") ? url.toString() : url + "?currentSchema=" + url.schema();
    }

    /** A plain connection (auto-commit) whose search path is the URL's schema. */
    public static Connection connect(PostgresUrl url) throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        p.setProperty("currentSchema", url.schema());
        url.parameters().forEach(p::setProperty);
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    /** Removes a test's schema and everything in it. */
    public static void drop(PostgresUrl url) {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + url.schema() + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop the test schema " + url.schema() + ": " + e.getMessage(), e);
        }
    }

    private static void requireRunning(PostgresUrl url) {
        try (Connection c = connect(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL does not answer at " + url + " (" + e.getMessage() + "). The store"
                    + " tests run against a real server: start it ('pg_ctlcluster 15 main start'; '.ci/run' installs and"
                    + " starts one on a fresh Debian machine), or point -Drekap.test.postgres=postgresql://user@host:port/db"
                    + " (or REKAP_TEST_POSTGRES) at another.", e);
        }
    }
}
