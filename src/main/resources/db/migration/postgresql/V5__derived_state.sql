-- Derived state saved for a fast restart (the tally, the officer state machine and the tree hashes at one log size),
-- in chunks of at most a few MiB. Not a source of truth: it is checked against the log when loaded, ignored when it
-- does not match, and may be deleted at any time (the next start replays the whole log).
CREATE TABLE derived_state (
    chunk INTEGER PRIMARY KEY,
    data  BYTEA NOT NULL
);
