-- Tenants own everything else; a tenant's id is the name it was created with.
CREATE TABLE tenants (
    tenant_id  TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL
);

-- OAuth2 client-credentials management apps; secrets are argon2 hashes.
CREATE TABLE apps (
    client_id   TEXT PRIMARY KEY NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
    secret_hash TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Issued access tokens, by the SHA-256 of the opaque token: a stolen database holds no token.
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    tenant_id  TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX tokens_expiry ON tokens (expires_at);

-- Every event as the JSON stored at ingestion. AUTOINCREMENT: a sequence number is never
-- reused after retention deletes the newest rows, so no stream position can skip an event.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX events_by_stream ON events (tenant_id, type, seq);
CREATE INDEX events_by_age ON events (received_at);

-- A stream's position is the seq of the last event it has committed.
CREATE TABLE streams (
    tenant_id        TEXT NOT NULL,
    stream_id        TEXT NOT NULL,
    name             TEXT,
    type             TEXT NOT NULL,
    destination      TEXT NOT NULL,
    batch_size       INTEGER NOT NULL,
    enrichment       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    delivered        INTEGER NOT NULL DEFAULT 0,
    last_delivery_at INTEGER,
    last_error       TEXT,
    state            TEXT NOT NULL DEFAULT 'active',
    PRIMARY KEY (tenant_id, stream_id)
);

-- What enrichment looks up: kind is 'user', 'app' or 'admin'; data is the entry's JSON.
CREATE TABLE directory (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
