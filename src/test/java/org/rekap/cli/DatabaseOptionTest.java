package org.rekap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.ledger.Role;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.store.CodeUse;
import org.rekap.store.PostgresStore;
import org.rekap.store.PostgresUrl;
import org.rekap.store.TestPostgres;

/** {@code --db}: the commands that open an election's store reach PostgreSQL with it, and say clearly when they cannot. */
class DatabaseOptionTest {
    @TempDir
    Path dir;

    PostgresUrl url;
    String db;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void freshSchema() {
        url = TestPostgres.freshSchema();
        db = TestPostgres.dbArgument(url);
    }

    @AfterEach
    void dropSchema() {
        TestPostgres.drop(url);
    }

    private int run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.commandLine().execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path regions() throws Exception {
        Path csv = dir.resolve("regions.csv");
        Files.writeString(csv, "code,parent_code,level,name,tps_numbers\n11,,provinsi,ACEH,\n11.01,11,kabupaten_kota,X,1-3\n");
        return csv;
    }

    @Test
    void importAndEnrolWriteToTheDatabaseAndKeepKeysInTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("import", "--data", data.toString(), "--db", db, "--regions", regions().toString(),
                "--contests", ImportCommandTest.CONTESTS.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("into " + url);
        Path codes = dir.resolve("codes.csv");
        assertThat(run("enroll", "--data", data.toString(), "--db", db, "--out", codes.toString())).as(err.toString()).isZero();
        assertThat(Files.exists(data.resolve(LogKeys.FILE))).isTrue();
        assertThat(Files.exists(data.resolve(DataDir.DB))).as("no SQLite file when --db is given").isFalse();

        Map<String, String> issued = Codes.readOfficerCodes(codes);
        assertThat(issued).containsOnlyKeys("11.01.001", "11.01.002", "11.01.003");
        try (PostgresStore store = PostgresStore.open(url)) {
            assertThat(store.loadSetup().orElseThrow().regions()).extracting(r -> r.code()).contains("11.01.003");
            assertThat(store.useCode(EnrolmentCodes.hash(issued.get("11.01.002")), "dev-1", Instant.now()))
                    .isEqualTo(new CodeUse(Role.OFFICER, "11.01.002", null));
            store.append(List.of("{}".getBytes(StandardCharsets.UTF_8)));
        }
        // Once the log has an entry, a second import is refused and changes nothing.
        err.reset();
        assertThat(run("import", "--data", data.toString(), "--db", db, "--regions", regions().toString(),
                "--contests", ImportCommandTest.CONTESTS.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already has 1 entries").contains("currentSchema");
    }

    @Test
    void servingAnEmptyDatabaseSaysWhatToRunFirst() {
        Path data = dir.resolve("data");
        assertThat(run("keygen", "--origin", "rekap.test/empty", "--out", data.resolve(LogKeys.FILE).toString())).isZero();
        assertThat(run("serve", "--data", data.toString(), "--db", db, "--port", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("no election in " + url).contains("rekap import --data " + data + " --db '" + url);
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsReportedWithoutAStackTrace() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("enroll", "--data", dir.toString(), "--db", "postgresql://rekap@127.0.0.1:" + port + "/pemilu",
                "--out", dir.resolve("codes.csv").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("rekap enroll: cannot reach PostgreSQL at postgresql://rekap@127.0.0.1:" + port
                + "/pemilu").contains("is it running?").doesNotContain("\tat org.");
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedWithTheExpectedForm() {
        assertThat(run("enroll", "--data", dir.toString(), "--db", "mysql://root:secret@db/pemilu",
                "--out", dir.resolve("codes.csv").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("is not a PostgreSQL URL; write it as postgresql://user@host:5432/dbname")
                .doesNotContain("secret");
    }
}
