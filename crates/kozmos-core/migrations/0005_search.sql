-- KOZMOS schema 5: one full-text index over the folded search keys of every searchable record.
-- Local, derived by the store; rowid = (row's rowid << 3) | kind (1 association, 2 foundation,
-- 3 person, 4 cooperation). The trigram tokenizer finds any part of a word of three letters or more.
CREATE VIRTUAL TABLE search_index USING fts5 (key, tokenize = 'trigram');
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 1, search_key FROM associations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 2, search_key FROM foundations WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 3, search_key FROM persons WHERE life = 'alive';
INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | 4, search_key FROM cooperations WHERE life = 'alive';
