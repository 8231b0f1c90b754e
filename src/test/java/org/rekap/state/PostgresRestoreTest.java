package org.rekap.state;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.rekap.store.ElectionStore;
import org.rekap.store.PostgresStore;
import org.rekap.store.PostgresUrl;
import org.rekap.store.TestPostgres;

class PostgresRestoreTest extends RestoreContract {
    private final List<PostgresUrl> schemas = new ArrayList<>();

    @Override
    ElectionStore freshStore() {
        PostgresUrl url = TestPostgres.freshSchema();
        schemas.add(url);
        return PostgresStore.open(url);
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(TestPostgres::drop);
    }
}
