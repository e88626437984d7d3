-- KOZMOS schema 22: indexes for the overview, which the app shows first. Measured at demo scale
-- 100 (54,000 rows; the associations alone 14.5 MB, which a connection's page cache of 2 MB does
-- not hold), the overview took 132 ms.
-- "Recent changes" reads the newest rows of each table from an index on their last change (of any
-- life) instead of scanning every row (57 ms → 0.1 ms).
CREATE INDEX associations_recent ON associations (changed_hlc);
CREATE INDEX foundations_recent ON foundations (changed_hlc);
CREATE INDEX persons_recent ON persons (changed_hlc);
CREATE INDEX cooperations_recent ON cooperations (changed_hlc);
-- The count per network reads the associations' network, life and id from an index (0.7 MB)
-- instead of the table.
CREATE INDEX associations_network ON associations (network, life, id);
