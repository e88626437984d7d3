-- Column mappings of spreadsheet imports, saved per file shape (kind + folded header row) and
-- proposed again for the next file of that shape. Local to this installation: not synced, not stamped.
CREATE TABLE import_mappings (
    shape TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
