-- Whether this installation encrypts its file in the shared folder (the passphrase itself lives in
-- the computer's keyring or the app's memory, never in the database). Local, like `site`.
ALTER TABLE site ADD COLUMN sync_folder_encrypted INTEGER NOT NULL DEFAULT 0;
