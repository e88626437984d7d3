-- KOZMOS schema 8: sync files. All local to this installation, never synced themselves.

-- This installation's version vectors: for every site, the newest stamp integrated from it such that
-- every field that site wrote up to then is here or overwritten by something newer. Scope 'all'
-- covers every table; 'shared' every table but persons and consents (privacy-filtered files carry
-- all of those tables, so they advance 'shared' only).
CREATE TABLE sync_vector (
    scope TEXT    NOT NULL CHECK (scope IN ('all', 'shared')),
    site  TEXT    NOT NULL,
    hlc   INTEGER NOT NULL,
    PRIMARY KEY (scope, site)
) WITHOUT ROWID;

-- Other installations this one has heard from: what they last reported having (their vector).
CREATE TABLE sync_peers (
    site       TEXT PRIMARY KEY NOT NULL,
    network    TEXT,
    vector     TEXT NOT NULL DEFAULT '{}',
    last_seen  TEXT NOT NULL
) WITHOUT ROWID;

-- Every export and import: the sync history; file_sha256 recognises a file imported before.
CREATE TABLE sync_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    direction   TEXT    NOT NULL CHECK (direction IN ('export', 'import')),
    peer        TEXT,
    peer_network TEXT,
    export_id   TEXT    NOT NULL,
    file_sha256 TEXT    NOT NULL,
    file_name   TEXT,
    profile     TEXT    NOT NULL,
    full        INTEGER NOT NULL,
    encrypted   INTEGER NOT NULL,
    counts      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_log_by_hash ON sync_log (file_sha256, direction);

-- Concurrent edits that lost a merge: the losing value is kept here until restored or seen.
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER REFERENCES sync_log (id),
    tbl         TEXT    NOT NULL,
    row_id      TEXT    NOT NULL,
    col         TEXT    NOT NULL,
    kept_value  TEXT,
    kept_hlc    INTEGER NOT NULL,
    kept_site   TEXT    NOT NULL,
    lost_value  TEXT,
    lost_hlc    INTEGER NOT NULL,
    lost_site   TEXT    NOT NULL,
    seen        INTEGER NOT NULL DEFAULT 0,
    restored_hlc INTEGER
);
CREATE INDEX conflicts_by_row ON conflicts (tbl, row_id);

-- Shared-folder settings and the export profile used there.
ALTER TABLE site ADD COLUMN sync_folder TEXT;
ALTER TABLE site ADD COLUMN sync_folder_profile TEXT NOT NULL DEFAULT 'consented';
