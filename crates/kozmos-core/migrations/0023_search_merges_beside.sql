-- KOZMOS schema 23: the full-text index no longer merges its segments inside the commits that write
-- it (FTS5's automerge off); a task of the app's own merges them after such a commit (upkeep.rs).
-- FTS5 keeps the setting in the index's own config table.
INSERT INTO search_index (search_index, rank) VALUES ('automerge', 0);
