-- Persons the other network no longer shares with this installation (a withdrawn "share" or
-- "store" consent there): id and the stamp of the notice. Local, not synced: their personal data
-- was forgotten here, and their later rows are ignored until a newer consent shares them again.
CREATE TABLE withheld_persons (
    person_id TEXT PRIMARY KEY,
    hlc INTEGER NOT NULL,
    site TEXT NOT NULL
);
