-- The replica delivering a push stream, and until when. One process holds them all on SQLite,
-- but the store contract is the same on both backends.
ALTER TABLE streams ADD COLUMN lease_holder TEXT;
ALTER TABLE streams ADD COLUMN lease_expires_at INTEGER;
-- Bumped by every settings change: a worker started under older settings can no longer commit
-- or report health, so nothing it does after a PATCH outlives it.
ALTER TABLE streams ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;
