-- The election's set-up: what the log's entries refer to.
CREATE TABLE election (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
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
    seq  INTEGER PRIMARY KEY,
    body BLOB NOT NULL
);

-- Entries are never changed or removed once committed.
CREATE TRIGGER log_entry_no_update BEFORE UPDATE ON log_entry
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
CREATE TRIGGER log_entry_no_delete BEFORE DELETE ON log_entry
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
