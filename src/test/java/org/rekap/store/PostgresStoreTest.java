package org.rekap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL server, each test in a schema of its own; then what only PostgreSQL has. */
class PostgresStoreTest extends ElectionStoreContract {
    PostgresUrl url;

    @BeforeEach
    void freshSchema() {
        url = TestPostgres.freshSchema();
    }

    @AfterEach
    void dropSchema() {
        TestPostgres.drop(url);
    }

    @Override
    ElectionStore open() {
        return PostgresStore.open(url);
    }

    @Override
    Connection rawConnection() throws SQLException {
        return TestPostgres.connect(url);
    }

    @Test
    void truncateIsRefusedToo() throws Exception {
        try (ElectionStore store = open()) {
            store.append(entries("a"), java.util.List.of(hash(0, 0, 1)));
        }
        try (Connection raw = rawConnection(); Statement st = raw.createStatement()) {
            assertThatThrownBy(() -> st.execute("TRUNCATE log_entry"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.execute("TRUNCATE tree_hash"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tree hashes are append-only");
        }
        try (ElectionStore store = open()) {
            assertThat(read(store, 0, 5)).containsExactly("0:a");
        }
    }

    @Test
    void commitsWaitForTheWalFlushWhateverTheSessionDefault() {
        // The URL asks the server for asynchronous commits; the store must turn them back on for every connection.
        PostgresUrl lax = new PostgresUrl(url.host(), url.port(), url.database(), url.user(), url.password(), url.schema(),
                Map.of("options", "-c synchronous_commit=off"));
        try (PostgresStore store = PostgresStore.open(lax)) {
            assertThat(store.setting("synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void twoSchemasInOneDatabaseAreTwoElections() {
        PostgresUrl other = TestPostgres.freshSchema();
        try (ElectionStore a = open(); ElectionStore b = PostgresStore.open(other)) {
            a.saveSetup(setup());
            a.append(entries("a1", "a2"));
            b.append(entries("b1"));
            assertThat(read(a, 0, 10)).containsExactly("0:a1", "1:a2");
            assertThat(read(b, 0, 10)).containsExactly("0:b1");
            assertThat(b.loadSetup()).isEmpty();
        } finally {
            TestPostgres.drop(other);
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsNamedWithWhatToDo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresUrl nowhere = PostgresUrl.parse("postgresql://rekap@127.0.0.1:" + port + "/pemilu", null);
        assertThatThrownBy(() -> PostgresStore.open(nowhere)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot reach PostgreSQL at postgresql://rekap@127.0.0.1:" + port + "/pemilu")
                .hasMessageContaining("is it running?");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        PostgresUrl missing = new PostgresUrl(url.host(), url.port(), "no_such_db_" + url.schema(), url.user(),
                url.password(), url.schema(), url.parameters());
        assertThatThrownBy(() -> PostgresStore.open(missing)).isInstanceOf(StoreException.class)
                .hasMessageContaining("has no database 'no_such_db_" + url.schema() + "'");
    }
}
