-- After a restore: the peers whose complete file has not come back yet. Until it has, this
-- installation reports its own site only up to the backup's clock (the own entry in
-- sync_vector), so that peers send back the own writes the old state lacks (sync/vector.rs).
-- Local, not synced.
CREATE TABLE restore_pending (
    site TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('all', 'shared')),
    PRIMARY KEY (site, scope)
);
