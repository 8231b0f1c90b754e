-- The same tables as the SQLite store's V1, in PostgreSQL's types: BYTEA for blobs, BIGINT where a count may pass 2^31.

-- The election's set-up: what the log's entries refer to.
CREATE TABLE election (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- Regions in the order they were imported. A region's TPS are folded into its row as in the region CSV:
-- tps_numbers as ranges ('1-16 901-902'), tps_dpt as space-separated DPT in the same order.
CREATE TABLE region (
    position    INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    parent_code TEXT NOT NULL,
    level       TEXT NOT NULL,
    name        TEXT NOT NULL,
    tps_numbers TEXT NOT NULL,
    tps_dpt     TEXT NOT NULL
);

-- The append-only log, the source of truth: sequence numbers from 0 without gaps, canonical entry bytes.
CREATE TABLE log_entry (
    seq  BIGINT PRIMARY KEY CHECK (seq >= 0),
    body BYTEA NOT NULL
);

-- Refuses the statement with the message given as the trigger's argument.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;

-- Entries are never changed or removed once committed (TRUNCATE bypasses row triggers, so it has its own).
CREATE TRIGGER log_entry_no_change BEFORE UPDATE OR DELETE ON log_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_change('log entries are append-only');
CREATE TRIGGER log_entry_no_truncate BEFORE TRUNCATE ON log_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('log entries are append-only');
