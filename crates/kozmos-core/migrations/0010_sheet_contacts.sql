-- The KOZMOS contact each network prints on its associations' profile sheets. A local setting of
-- this installation, like `site`: not synced, not stamped.
CREATE TABLE sheet_contacts (
    network TEXT PRIMARY KEY CHECK (network IN ('lamsa', 'migranetz')),
    organisation TEXT NOT NULL,
    person TEXT,
    email TEXT,
    phone TEXT,
    website TEXT
);
