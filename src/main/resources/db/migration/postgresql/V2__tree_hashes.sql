-- The Merkle tree over log_entry (RFC 6962): the hash of every complete subtree, level L index N covering leaves
-- [N * 2^L, (N + 1) * 2^L). Written in the same transaction as the entries it covers; never changed.
CREATE TABLE tree_hash (
    level INTEGER NOT NULL,
    idx   BIGINT NOT NULL,
    hash  BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TRIGGER tree_hash_no_change BEFORE UPDATE OR DELETE ON tree_hash
    FOR EACH ROW EXECUTE FUNCTION refuse_change('tree hashes are append-only');
CREATE TRIGGER tree_hash_no_truncate BEFORE TRUNCATE ON tree_hash
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('tree hashes are append-only');
