-- Indexes for a catalog of 100,000 backups and more (written in the SQL SQLite, H2 and PostgreSQL share):
-- `cairn list --limit N` reads the newest N backups, of all clusters, of one or of one volume, straight from an index instead
-- of sorting every row; crash recovery and the cleaning before each backup find the few unfinished backups
-- (creating, deleting) without reading the rest.

CREATE INDEX backups_by_time ON backups (started_at, id);
CREATE INDEX backups_by_cluster_time ON backups (cluster, started_at, id);
CREATE INDEX backups_by_status ON backups (status);
-- `cairn list --volume V` without --cluster (the index of V1 starts with the cluster).
CREATE INDEX backups_by_volume_time ON backups (volume, started_at, id);
