-- KOZMOS schema 18: compact stamps. A row whose every stamped column (`_life` and the table's synced
-- columns: the counts below) carries a stamp keeps its most common stamp once under "*" and lists
-- only the columns stamped otherwise; other rows stay as they are. The table has no rowid: its key
-- is the only index it needs. Must match store::stamps (test: stamps_migration_*). `modes` is
-- materialized: inlined, each row's mode would be worked out again for every one of its fields.
CREATE TABLE compact_stamps (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    stamps TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

WITH stamped (tbl, n) AS (VALUES
    ('associations', 39), ('foundations', 32), ('persons', 12), ('consents', 8),
    ('cooperations', 18), ('activities', 8), ('projects', 8), ('ideas', 6)),
modes AS MATERIALIZED (
    SELECT s.tbl, s.row_id, s.stamps,
           (SELECT value FROM json_each(s.stamps) GROUP BY value ORDER BY count(*) DESC, value LIMIT 1) AS mode
    FROM stamps s JOIN stamped st ON st.tbl = s.tbl
    WHERE json_type(s.stamps, '$."*"') IS NULL
      AND (SELECT count(*) FROM json_each(s.stamps)) = st.n)
INSERT INTO compact_stamps (tbl, row_id, stamps)
SELECT m.tbl, m.row_id,
       (SELECT json_group_object(key, json(value)) FROM (
            SELECT '*' AS key, m.mode AS value
            UNION ALL
            SELECT j.key, j.value FROM json_each(m.stamps) j WHERE j.value <> m.mode))
FROM modes m;

INSERT INTO compact_stamps (tbl, row_id, stamps)
SELECT tbl, row_id, stamps FROM stamps WHERE true
ON CONFLICT (tbl, row_id) DO NOTHING;

DROP TABLE stamps;
ALTER TABLE compact_stamps RENAME TO stamps;
