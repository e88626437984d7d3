-- KOZMOS schema 1: installation identity, sync stamps, associations.

-- This installation (one row, local, never synced).
CREATE TABLE site (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    site_id     TEXT    NOT NULL,
    network     TEXT    CHECK (network IN ('lamsa', 'migranetz', 'other')),
    volunteer   TEXT,
    ui_lang     TEXT    NOT NULL DEFAULT 'de' CHECK (ui_lang IN ('de', 'en')),
    created_at  TEXT    NOT NULL,
    -- Last hybrid-logical-clock value handed out: wall-clock ms << 16 | counter. Never goes back.
    clock       INTEGER NOT NULL DEFAULT 0
);

-- One last-writer-wins stamp per field of every synced row; col '_life' is the row's life register.
-- No index on hlc: each synced row's changed_hlc (indexed) finds what changed since a given stamp.
CREATE TABLE stamps (
    tbl     TEXT    NOT NULL,
    row_id  TEXT    NOT NULL,
    col     TEXT    NOT NULL,
    hlc     INTEGER NOT NULL,
    site    TEXT    NOT NULL,
    PRIMARY KEY (tbl, row_id, col)
) WITHOUT ROWID;

-- Synced. No UNIQUE constraint besides the key (two sites may create the same association).
CREATE TABLE associations (
    id                TEXT    PRIMARY KEY NOT NULL,
    life              TEXT    NOT NULL DEFAULT 'alive' CHECK (life IN ('alive', 'deleted', 'purged')),
    name              TEXT    NOT NULL,
    name_original     TEXT,
    short_name        TEXT,
    legal_form        TEXT,
    register_court    TEXT,
    register_number   TEXT,
    founded_year      INTEGER,
    charitable_status TEXT,
    tax_office        TEXT,
    notice_kind       TEXT,
    notice_date       TEXT,
    network           TEXT,
    state             TEXT,
    district          TEXT,
    city              TEXT,
    postcode          TEXT,
    address           TEXT,
    website           TEXT,
    email             TEXT,
    phone             TEXT,
    mission_de        TEXT,
    mission_en        TEXT,
    communities       TEXT    NOT NULL DEFAULT '[]',
    languages         TEXT    NOT NULL DEFAULT '[]',
    themes            TEXT    NOT NULL DEFAULT '[]',
    target_groups     TEXT    NOT NULL DEFAULT '[]',
    needs             TEXT    NOT NULL DEFAULT '[]',
    previous_funders  TEXT    NOT NULL DEFAULT '[]',
    members           INTEGER,
    volunteers        INTEGER,
    staff             INTEGER,
    budget_band       TEXT,
    logo              BLOB,
    logo_mime         TEXT,
    status            TEXT    NOT NULL DEFAULT 'active',
    owner_network     TEXT,
    notes             TEXT,
    -- Local, derived by the store from the fields above; not synced.
    search_key        TEXT    NOT NULL DEFAULT '',
    sort_key          TEXT    NOT NULL DEFAULT '',
    changed_hlc       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX associations_sort ON associations (life, sort_key);
CREATE INDEX associations_changed ON associations (life, changed_hlc);
