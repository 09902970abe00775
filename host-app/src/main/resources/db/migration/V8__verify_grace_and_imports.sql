-- Proving backups, a grace period for deletes, and catalogs rebuilt from backup storage.
-- Written in the SQL that H2, SQLite and PostgreSQL share: no BOOLEAN (0/1 integers), times as the
-- catalog stores them everywhere else.

-- One row per verify of a backup: what was checked, how it ended, what was found. The newest row is the
-- backup's verify result; the newest complete one (every byte checked) decides when a schedule's
-- verify.full_every is due. A failed verify also moves the backup to status 'corrupt'.
CREATE TABLE verifications (
    id               VARCHAR(64)    NOT NULL PRIMARY KEY,
    backup_id        VARCHAR(64)    NOT NULL REFERENCES backups (id),
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    result           VARCHAR(16)    NOT NULL,   -- intact | corrupt | unverifiable
    sample_percent   DOUBLE PRECISION NOT NULL, -- 100: a full verify
    complete         INTEGER        NOT NULL,   -- 1 when every byte of the restore point was checked
    source_compared  INTEGER        NOT NULL,   -- 1 when the source snapshot was compared too
    size_bytes       BIGINT         NOT NULL,
    checked_bytes    BIGINT         NOT NULL,
    read_bytes       BIGINT         NOT NULL,
    damaged          VARCHAR(65535) NOT NULL,   -- JSON array of {offset, length, problem}
    notes            VARCHAR(65535) NOT NULL,   -- JSON array of strings
    host             VARCHAR(255)   NOT NULL    -- host/pid that ran it
);

CREATE INDEX verifications_by_backup ON verifications (backup_id, finished_at);

-- A backup deleted or pruned while delete_grace is set: it is 'expiring' until expires_at, keeps its data,
-- and can be undeleted back to status_before; afterwards it is purged (deleting, deleted) and the row goes.
CREATE TABLE expiring_backups (
    backup_id      VARCHAR(64)   NOT NULL PRIMARY KEY REFERENCES backups (id),
    status_before  VARCHAR(16)   NOT NULL,      -- available | corrupt: what an undelete restores
    deleted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_by     VARCHAR(1024) NOT NULL       -- who: host/pid, and the schedule whose retention pruned it
);

CREATE INDEX expiring_backups_by_expiry ON expiring_backups (expires_at);

-- Backups recorded by `cairn catalog rebuild` from what a backend found in backup storage. origin is '' for
-- the backend's own backups, else who wrote them (the OpenStack reference driver): those are restorable,
-- but Cairn neither deletes nor prunes their storage, nor diffs from them, until an operator adopts them.
CREATE TABLE imported_backups (
    backup_id    VARCHAR(64)   NOT NULL PRIMARY KEY REFERENCES backups (id),
    imported_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    origin       VARCHAR(255)  NOT NULL,
    adopted_at   TIMESTAMP WITH TIME ZONE,
    notes        VARCHAR(65535) NOT NULL        -- JSON array: what the backend said of it when found
);
