-- KOZMOS schema 19: the full-text index keeps no copy of the keys it indexes (contentless, with
-- deletes by rowid): a seventh of the file at scale 100, and one copy fewer of every name. Whatever
-- needs a key reads it from its row (`search_key`).
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (key, tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 1, search_key FROM associations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 2, search_key FROM foundations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 3, search_key FROM persons WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 4, search_key FROM cooperations WHERE life = 'alive';
