-- KOZMOS schema 21: an undone sync import keeps its line in the sync history, marked with the time
-- of the undo; its file no longer counts as imported.
ALTER TABLE sync_log ADD COLUMN undone_at TEXT;
