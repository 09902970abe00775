-- The backup catalog. Written in the SQL that H2 and PostgreSQL share, so the same migrations
-- serve the embedded default and a database shared by several hosts.

CREATE TABLE backups (
    id                 VARCHAR(64)   NOT NULL PRIMARY KEY,
    cluster            VARCHAR(255)  NOT NULL,
    volume             VARCHAR(1024) NOT NULL,
    kind               VARCHAR(16)   NOT NULL,   -- full | incremental
    parent_id          VARCHAR(64)   REFERENCES backups (id),
    chain_id           VARCHAR(64)   NOT NULL,   -- id of the chain's full backup (its base)
    status             VARCHAR(16)   NOT NULL,   -- creating | available | error | deleting | deleted
    snapshot_name      VARCHAR(255),             -- the source snapshot, once taken
    volume_size_bytes  BIGINT        NOT NULL,
    bytes_transferred  BIGINT        NOT NULL,
    bytes_written      BIGINT        NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP WITH TIME ZONE,
    labels             VARCHAR(65535) NOT NULL,  -- JSON object of strings
    service_metadata   VARCHAR(65535) NOT NULL,  -- JSON object of strings, opaque to the host
    plan_reason        VARCHAR(4000) NOT NULL,   -- why full or incremental
    error_reason       VARCHAR(4000)
);

-- "Newest available backup of this volume" and "list --cluster --volume" read by this index.
CREATE INDEX backups_by_volume ON backups (cluster, volume, started_at);
CREATE INDEX backups_by_parent ON backups (parent_id);

-- One row per volume being worked on: a lease with holder and expiry, so the lock also holds
-- across several hosts sharing the database, and a crashed holder's lock runs out.
CREATE TABLE volume_leases (
    cluster      VARCHAR(255)  NOT NULL,
    volume       VARCHAR(1024) NOT NULL,
    holder       VARCHAR(255)  NOT NULL,
    purpose      VARCHAR(255)  NOT NULL,
    acquired_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (cluster, volume)
);
