-- KOZMOS schema 12: duplicates. A merged-away association, foundation or person stays as a
-- tombstone (life 'deleted') that names its survivor; synced like every other field, so the
-- merge travels to the other network. No foreign key: a sync file may bring the pointer before
-- (or without) the survivor's own row, and a dangling pointer only means "not merged here yet".
ALTER TABLE associations ADD COLUMN merged_into TEXT;
ALTER TABLE foundations ADD COLUMN merged_into TEXT;
ALTER TABLE persons ADD COLUMN merged_into TEXT;

-- Pairs the user marked "not a duplicate": hidden from the scan. Local, not synced (each
-- network reviews its own list). The pair is stored with the smaller (kind, id) first.
CREATE TABLE duplicate_dismissals (
    kind_a TEXT NOT NULL,
    id_a   TEXT NOT NULL,
    kind_b TEXT NOT NULL,
    id_b   TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (kind_a, id_a, kind_b, id_b)
) WITHOUT ROWID;
