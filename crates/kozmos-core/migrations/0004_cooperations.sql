-- KOZMOS schema 4: cooperations (one association, one foundation, one idea) and their activity log.
CREATE TABLE cooperations (
    id               TEXT    PRIMARY KEY NOT NULL,
    life             TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    association_id   TEXT    NOT NULL REFERENCES associations (id),
    foundation_id    TEXT    NOT NULL REFERENCES foundations (id),
    idea             TEXT    NOT NULL,
    description      TEXT,
    stage            TEXT    NOT NULL DEFAULT 'idee',
    amount_requested INTEGER,
    amount_granted   INTEGER,
    first_contact    TEXT,
    submitted        TEXT,
    decision         TEXT,
    project_start    TEXT,
    project_end      TEXT,
    report_due       TEXT,
    next_step        TEXT,
    next_step_due    TEXT,
    next_step_owner  TEXT,
    notes            TEXT,
    search_key       TEXT    NOT NULL DEFAULT '',
    sort_key         TEXT    NOT NULL DEFAULT '',
    changed_hlc      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cooperations_by_association ON cooperations (association_id, life);
CREATE INDEX cooperations_by_foundation ON cooperations (foundation_id, life);
CREATE INDEX cooperations_by_stage ON cooperations (life, stage);
CREATE INDEX cooperations_due ON cooperations (life, next_step_due);

-- The activity log of a cooperation; stage changes are logged by the store layer's callers.
CREATE TABLE activities (
    id             TEXT    PRIMARY KEY NOT NULL,
    life           TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    cooperation_id TEXT    NOT NULL REFERENCES cooperations (id),
    date           TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    text           TEXT,
    who            TEXT,
    stage_from     TEXT,
    stage_to       TEXT,
    search_key     TEXT    NOT NULL DEFAULT '',
    sort_key       TEXT    NOT NULL DEFAULT '',
    changed_hlc    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activities_by_cooperation ON activities (cooperation_id, date);
