-- KOZMOS schema 19: the full-text index keeps no copy of the keys it indexes (contentless, with
-- deletes by rowid) and no positions (detail=none): it says which records hold a trigram, and the
-- search checks each word on the record's own `search_key` (listing::key_conditions). 17 MB less at
-- scale 100, and one copy fewer of every name.
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (key, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none);
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 1, search_key FROM associations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 2, search_key FROM foundations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 3, search_key FROM persons WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 4, search_key FROM cooperations WHERE life = 'alive';
