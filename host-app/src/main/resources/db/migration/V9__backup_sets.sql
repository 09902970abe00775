-- Backup sets: volumes backed up together, at one instant, from one group snapshot - an RBD group
-- (group_name) or a list of volumes. A set is available only when every member backup is; retention keeps or
-- removes it as a whole. Written in the SQL that H2, PostgreSQL and SQLite share.

CREATE TABLE backup_sets (
    id                      VARCHAR(64)   NOT NULL PRIMARY KEY,
    cluster                 VARCHAR(255)  NOT NULL,
    series                  VARCHAR(4000) NOT NULL,   -- what the set is of: group:volumes/vm-42 or together:volumes/a,volumes/b
    group_name              VARCHAR(1024),            -- the backend's group; NULL for a list of volumes
    status                  VARCHAR(16)   NOT NULL,   -- creating | available | error | deleting | deleted
    started_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at             TIMESTAMP WITH TIME ZONE,
    error_reason            VARCHAR(4000),
    -- The group snapshot the members were read from: Cairn's, by name and identity; held until no member
    -- needs it (every member's transfer has ended), then removed.
    group_snapshot          VARCHAR(1024),
    group_snapshot_identity VARCHAR(255),
    group_snapshot_taken_at TIMESTAMP WITH TIME ZONE,
    group_snapshot_state    VARCHAR(16)               -- held | removed; NULL while none was taken
);

CREATE INDEX backup_sets_by_series ON backup_sets (cluster, series, started_at);
CREATE INDEX backup_sets_by_start ON backup_sets (started_at);

-- The member backups of a set, one per volume, each an ordinary backup record; with the volume's image in the
-- group snapshot its data was read from.
CREATE TABLE backup_set_members (
    set_id               VARCHAR(64)   NOT NULL REFERENCES backup_sets (id),
    position             INTEGER       NOT NULL,
    volume               VARCHAR(1024) NOT NULL,
    backup_id            VARCHAR(64)   NOT NULL REFERENCES backups (id),
    group_image          VARCHAR(1024),
    group_image_identity VARCHAR(255),
    PRIMARY KEY (set_id, position)
);

CREATE UNIQUE INDEX backup_set_members_by_backup ON backup_set_members (backup_id);
