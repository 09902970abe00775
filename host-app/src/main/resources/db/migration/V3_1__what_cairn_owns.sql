-- What Cairn owns, recorded so that it removes exactly that and nothing else (issue 9), and restores
-- recorded while they run. Written in the SQL that H2, PostgreSQL and SQLite share: one column per
-- ALTER TABLE, no BOOLEAN.
--
-- Version 3.1 because V3 was taken by schedule_runs before this was written; it sorts before every
-- later migration, which may build on these tables.

-- A backup's source snapshot as the backend returned it: name (snapshot_name, since V1), identity (for
-- Ceph the rbd snapshot id), size and time, and whether the host still holds it on the source volume
-- (held) or has removed it (removed). The host removes only snapshots recorded here, by name and
-- identity; a snapshot of the same name with another identity is someone else's.
ALTER TABLE backups ADD COLUMN snapshot_identity VARCHAR(255);
ALTER TABLE backups ADD COLUMN snapshot_size_bytes BIGINT;
ALTER TABLE backups ADD COLUMN snapshot_taken_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE backups ADD COLUMN snapshot_state VARCHAR(16);   -- held | removed; null while none was taken

-- Backups recorded before: their snapshots had no identity, and the host kept only the newest available
-- backup's snapshot of each volume (the rest were removed by the backend). Recording every snapshot of a
-- backup that may still have one as held is safe: removing one that is gone counts as done.
UPDATE backups SET snapshot_identity = '', snapshot_size_bytes = volume_size_bytes, snapshot_taken_at = started_at,
    snapshot_state = CASE WHEN status IN ('creating', 'available', 'deleting') THEN 'held' ELSE 'removed' END
    WHERE snapshot_name IS NOT NULL;

-- Every storage object a backend created for a backup, written through the ResourceJournal before the
-- object is created (identity empty) and again once it exists (with its identity): after a crash this
-- names everything a backup may have left. held: the backup may still own it; removed: the backend's
-- delete of the backup finished (what it kept for other backups of the chain is theirs now).
CREATE TABLE backup_resources (
    backup_id    VARCHAR(64)   NOT NULL REFERENCES backups (id),
    position     INTEGER       NOT NULL,   -- order of the first record of this object
    kind         VARCHAR(64)   NOT NULL,   -- the backend's word: base-image, base-snapshot, metadata-object
    name         VARCHAR(1024) NOT NULL,   -- where it is: backups/db1.backup.<id>
    identity     VARCHAR(255)  NOT NULL,   -- '' until the object exists
    state        VARCHAR(16)   NOT NULL,   -- held | removed
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (backup_id, kind, name)
);

-- "Is this restore target something Cairn stores backups in?" looks resources up by name.
CREATE INDEX backup_resources_by_name ON backup_resources (name);

-- One row per restore: what was restored where, and how it ended. A running restore is a lease (holder,
-- renewed expiry) that keeps its backup from being deleted or pruned; one whose holder died is marked
-- interrupted, and its target stays marked by the backend until a restore into it finishes.
CREATE TABLE restores (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    backup_id      VARCHAR(64)   NOT NULL REFERENCES backups (id),
    cluster        VARCHAR(255)  NOT NULL,
    target         VARCHAR(1024) NOT NULL,
    status         VARCHAR(16)   NOT NULL,   -- running | finished | failed | interrupted
    holder         VARCHAR(255)  NOT NULL,   -- host/pid#nonce of the process restoring
    client         VARCHAR(1024),            -- the backend client it used, to fence it once it is dead
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE,
    bytes_written  BIGINT        NOT NULL,
    error_reason   VARCHAR(4000)
);

CREATE INDEX restores_by_backup ON restores (backup_id, status);
CREATE INDEX restores_by_status ON restores (status, started_at);

-- The backend client a volume's lease holder works through (for Ceph the client address), so that whoever
-- takes the lease over from a dead or expired holder can fence that client first.
ALTER TABLE volume_leases ADD COLUMN client VARCHAR(1024);
