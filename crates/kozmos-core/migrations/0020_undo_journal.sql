-- KOZMOS schema 20: the undo journal of the last small sync import (`sync::undo`): what it changed,
-- as an SQLite changeset, instead of a copy of the whole database made before it. Local, never
-- synced; the next import replaces it, an erasure or a restore empties it.
CREATE TABLE undo_journal (
    import_id INTEGER PRIMARY KEY,
    changes   BLOB    NOT NULL
);
