-- KOZMOS schema 7: an association's activities/projects and its project ideas. Synced.
CREATE TABLE projects (
    id             TEXT    PRIMARY KEY NOT NULL,
    life           TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    association_id TEXT    NOT NULL REFERENCES associations (id),
    title          TEXT    NOT NULL,
    year           INTEGER,
    people_reached INTEGER,
    budget         INTEGER,
    funder         TEXT,
    description    TEXT,
    search_key     TEXT    NOT NULL DEFAULT '',
    sort_key       TEXT    NOT NULL DEFAULT '',
    changed_hlc    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX projects_by_association ON projects (association_id, life);

CREATE TABLE ideas (
    id             TEXT    PRIMARY KEY NOT NULL,
    life           TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    association_id TEXT    NOT NULL REFERENCES associations (id),
    title          TEXT    NOT NULL,
    description    TEXT,
    amount_needed  INTEGER,
    time_frame     TEXT,
    search_key     TEXT    NOT NULL DEFAULT '',
    sort_key       TEXT    NOT NULL DEFAULT '',
    changed_hlc    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ideas_by_association ON ideas (association_id, life);
