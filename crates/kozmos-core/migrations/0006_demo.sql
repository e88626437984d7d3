-- KOZMOS schema 6: which rows are demo data (local; demo rows are never part of real work).
CREATE TABLE demo_rows (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
