-- The scale-out backend: several sluice replicas share this database.
-- Times are epoch milliseconds (BIGINT), as in the SQLite schema, so both backends map rows alike.

CREATE TABLE tenants (
    tenant_id  TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE apps (
    client_id   TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
    secret_hash TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tokens_expiry ON tokens (expires_at);

-- Events as the JSON text stored at ingestion (TEXT, not JSONB: collect splices the bytes as
-- they are). Collect reads `tenant_id = ? AND type = ? AND seq > ? ORDER BY seq LIMIT n`: one
-- descent of events_by_stream and a short range scan, whatever the table's size, so it stays
-- fast at 100M rows without partitioning. Retention deletes along events_by_age.
CREATE TABLE events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX events_by_stream ON events (tenant_id, type, seq);
CREATE INDEX events_by_age ON events (received_at);

-- A stream's position is the seq of the last event it has committed; collect advances it under
-- this row's lock. A push stream is delivered by the replica holding its lease until it expires.
CREATE TABLE streams (
    tenant_id        TEXT NOT NULL,
    stream_id        TEXT NOT NULL,
    name             TEXT,
    type             TEXT NOT NULL,
    destination      TEXT NOT NULL,
    batch_size       BIGINT NOT NULL,
    enrichment       BOOLEAN NOT NULL,
    created_at       BIGINT NOT NULL,
    position         BIGINT NOT NULL,
    start_position   BIGINT NOT NULL,
    issued_cursor    BIGINT NOT NULL,
    delivered        BIGINT NOT NULL DEFAULT 0,
    last_delivery_at BIGINT,
    last_error       TEXT,
    state            TEXT NOT NULL DEFAULT 'active',
    lease_holder     TEXT,
    lease_expires_at BIGINT,
    -- Bumped by every settings change; a worker of older settings can no longer commit.
    settings_version BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, stream_id)
);

CREATE TABLE directory (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
