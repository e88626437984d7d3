-- KOZMOS schema 3: contact persons and their consent records. Synced.
CREATE TABLE persons (
    id             TEXT    PRIMARY KEY NOT NULL,
    life           TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    association_id TEXT    REFERENCES associations (id),
    foundation_id  TEXT    REFERENCES foundations (id),
    -- NULL once the person is erased for privacy.
    name           TEXT,
    name_original  TEXT,
    name_latin     TEXT,
    role           TEXT,
    email          TEXT,
    phone          TEXT,
    languages      TEXT    NOT NULL DEFAULT '[]',
    notes          TEXT,
    -- Local, derived by the store; not synced.
    search_key     TEXT    NOT NULL DEFAULT '',
    sort_key       TEXT    NOT NULL DEFAULT '',
    changed_hlc    INTEGER NOT NULL DEFAULT 0,
    CHECK ((association_id IS NULL) <> (foundation_id IS NULL))
);
CREATE INDEX persons_by_association ON persons (association_id, life);
CREATE INDEX persons_by_foundation ON persons (foundation_id, life);
CREATE INDEX persons_sort ON persons (life, sort_key);

-- One record per consent given or withdrawn; the newest per purpose counts. Never edited.
CREATE TABLE consents (
    id           TEXT    PRIMARY KEY NOT NULL,
    life         TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    person_id    TEXT    NOT NULL REFERENCES persons (id),
    purpose      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    channel      TEXT,
    recorded_by  TEXT,
    note         TEXT,
    search_key   TEXT    NOT NULL DEFAULT '',
    sort_key     TEXT    NOT NULL DEFAULT '',
    changed_hlc  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consents_by_person ON consents (person_id, purpose, date);
