package org.rekap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code --db}: the forms people write, defaults, and refusals that name the problem without echoing a password. */
class PostgresUrlTest {
    @Test
    void theUsualFormsReadTheSame() {
        PostgresUrl expected = new PostgresUrl("db.internal", 5432, "pemilu", "rekap", null, "public", Map.of());
        assertThat(PostgresUrl.parse("postgresql://rekap@db.internal:5432/pemilu", null)).isEqualTo(expected);
        assertThat(PostgresUrl.parse("postgres://rekap@db.internal/pemilu", null)).isEqualTo(expected);
        assertThat(PostgresUrl.parse("jdbc:postgresql://db.internal/pemilu?user=rekap", null)).isEqualTo(expected);
    }

    @Test
    void schemaPasswordAndDriverParametersAreSeparated() {
        PostgresUrl u = PostgresUrl.parse("postgresql://rekap:p%40ss@10.0.0.5:6543/pemilu?currentSchema=pemilu2024&sslmode=require", "env");
        assertThat(u).isEqualTo(new PostgresUrl("10.0.0.5", 6543, "pemilu", "rekap", "p@ss", "pemilu2024", Map.of("sslmode", "require")));
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:6543/pemilu");
        assertThat(u.toString()).isEqualTo("postgresql://rekap@10.0.0.5:6543/pemilu?currentSchema=pemilu2024").doesNotContain("p@ss");
        // Without a password in the URL, PGPASSWORD's is used.
        assertThat(PostgresUrl.parse("postgresql://rekap@h/pemilu", "from-env").password()).isEqualTo("from-env");
    }

    @Test
    void badUrlsAreRefusedWithTheExpectedFormAndNoPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:hunter2@db/pemilu", null))
                .hasMessageContaining("is not a PostgreSQL URL").hasMessageContaining("postgresql://user@host:5432/dbname")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://rekap:hunter2@db.internal", null))
                .hasMessageContaining("names no database").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db/pemilu?currentSchema=Pemilu;drop", null))
                .hasMessageContaining("currentSchema 'Pemilu;drop' is not a plain schema name");
    }
}
