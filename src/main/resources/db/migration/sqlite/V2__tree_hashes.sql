-- The Merkle tree over log_entry (RFC 6962): the hash of every complete subtree, level L index N covering leaves
-- [N * 2^L, (N + 1) * 2^L). Written in the same transaction as the entries it covers; never changed.
CREATE TABLE tree_hash (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TRIGGER tree_hash_no_update BEFORE UPDATE ON tree_hash
BEGIN SELECT RAISE(ABORT, 'tree hashes are append-only'); END;
CREATE TRIGGER tree_hash_no_delete BEFORE DELETE ON tree_hash
BEGIN SELECT RAISE(ABORT, 'tree hashes are append-only'); END;
