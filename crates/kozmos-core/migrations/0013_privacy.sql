-- KOZMOS schema 13: the retention period for the privacy review (local setting, not synced).
ALTER TABLE site ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 3;
