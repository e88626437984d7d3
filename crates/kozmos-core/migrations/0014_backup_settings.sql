-- How many automatic backups this installation keeps. A local setting like `site`: not synced.
CREATE TABLE backup_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    keep INTEGER NOT NULL CHECK (keep BETWEEN 1 AND 365)
);
