-- One-time enrolment codes. Only a hash of each code is kept; the codes themselves leave in the CSV that
-- 'rekap enroll' writes for printing. Not part of the public log: the enrolment a code allows is.
CREATE TABLE enrol_code (
    code_hash  BYTEA PRIMARY KEY,
    role       TEXT NOT NULL,
    scope      TEXT NOT NULL,
    expires_at BIGINT NOT NULL,  -- epoch milliseconds
    used_at    BIGINT            -- epoch milliseconds, null while unused
);
CREATE INDEX enrol_code_scope ON enrol_code(scope);
