package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.policy.BackupEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every backup the host has made or tried, in the catalog database.
 *
 * <p>Status changes are compare-and-set ({@link #update(BackupRecord, BackupStatus)}), so two
 * processes sharing the database cannot both move one backup on.
 */
public final class BackupCatalog {

    private static final String COLUMNS = "id, cluster, volume, kind, parent_id, chain_id, status, snapshot_name,"
            + " volume_size_bytes, bytes_transferred, bytes_written, started_at, finished_at, labels,"
            + " service_metadata, plan_reason, error_reason";
    private static final int MINIMUM_PREFIX = 4;

    private final CatalogDatabase database;

    public BackupCatalog(CatalogDatabase database) {
        this.database = database;
    }

    /** Adds a new backup record. */
    public void insert(BackupRecord record) {
        String sql = "INSERT INTO backups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        run("record backup " + record.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bindAll(statement, record);
                statement.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Replaces a record, provided its status is still {@code expected}.
     *
     * @return whether it was updated (false: another process changed its status first)
     */
    public boolean update(BackupRecord record, BackupStatus expected) {
        String sql = "UPDATE backups SET cluster = ?, volume = ?, kind = ?, parent_id = ?, chain_id = ?, status = ?,"
                + " snapshot_name = ?, volume_size_bytes = ?, bytes_transferred = ?, bytes_written = ?, started_at = ?,"
                + " finished_at = ?, labels = ?, service_metadata = ?, plan_reason = ?, error_reason = ?"
                + " WHERE id = ? AND status = ?";
        return run("update backup " + record.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = bindFields(statement, record, 1);
                statement.setString(next, record.id().value());
                statement.setString(next + 1, expected.label());
                return statement.executeUpdate() == 1;
            }
        });
    }

    public Optional<BackupRecord> find(BackupId id) {
        return run("read backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM backups WHERE id = ?")) {
                statement.setString(1, id.value());
                List<BackupRecord> found = readAll(statement);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /**
     * Finds a backup by its full id or a unique prefix of at least four characters, as people copy
     * ids from listings.
     *
     * @throws BackupNotFoundException naming the id when none or several match
     */
    public BackupRecord resolve(String idOrPrefix) {
        String text = idOrPrefix.trim().toLowerCase(java.util.Locale.ROOT);
        if (text.length() < MINIMUM_PREFIX || !text.matches("[a-z0-9-]+")) {
            throw new BackupNotFoundException("no backup '" + idOrPrefix + "' (give an id from `cairn list`, or at least"
                    + " its first " + MINIMUM_PREFIX + " characters)");
        }
        // A range on the primary key rather than LIKE, which not every database reads from an index: ids are
        // lowercase hex digits and dashes, all below '~'.
        List<BackupRecord> matches = run("look up backup " + text, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM backups WHERE id >= ? AND id < ? ORDER BY started_at")) {
                statement.setString(1, text);
                statement.setString(2, text + "~");
                return readAll(statement);
            }
        });
        Optional<BackupRecord> exact = matches.stream().filter(r -> r.id().value().equals(text)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        if (matches.isEmpty()) {
            throw new BackupNotFoundException("no backup '" + idOrPrefix + "' in the catalog");
        }
        if (matches.size() > 1) {
            throw new BackupNotFoundException("backup id prefix '" + idOrPrefix + "' fits " + matches.size()
                    + " backups; give more of the id");
        }
        return matches.get(0);
    }

    /** Backups matching the filter, oldest first. */
    public List<BackupRecord> list(BackupFilter filter) {
        return list(filter, Optional.empty());
    }

    /**
     * A page of the backups matching the filter: the newest {@code page.limit()} after skipping the newest
     * {@code page.offset()}, listed oldest first. Read from the indexes on start time, so a page costs the same
     * in a catalog of a hundred backups or of a million.
     */
    public List<BackupRecord> list(BackupFilter filter, Page page) {
        return list(filter, Optional.of(page));
    }

    private List<BackupRecord> list(BackupFilter filter, Optional<Page> page) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM backups WHERE 1 = 1");
        List<String> arguments = new ArrayList<>();
        filter.cluster().ifPresent(c -> {
            sql.append(" AND cluster = ?");
            arguments.add(c);
        });
        filter.volume().ifPresent(v -> {
            sql.append(" AND volume = ?");
            arguments.add(v.locator());
        });
        if (!filter.includeDeleted()) {
            sql.append(" AND status <> '").append(BackupStatus.DELETED.label()).append("'");
        }
        String query;
        if (page.isPresent()) {
            query = "SELECT " + COLUMNS + " FROM (" + sql + " ORDER BY started_at DESC, id DESC LIMIT "
                    + page.get().limit() + " OFFSET " + page.get().offset() + ") newest ORDER BY started_at, id";
        } else {
            query = sql + " ORDER BY started_at, id";
        }
        return run("list backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setString(i + 1, arguments.get(i));
                }
                return readAll(statement);
            }
        });
    }

    /** The newest available backup of a volume: the parent of its next incremental backup. */
    public Optional<BackupRecord> newestAvailable(String cluster, VolumeRef volume) {
        List<BackupRecord> available = list(new BackupFilter(Optional.of(cluster), Optional.of(volume), false)).stream()
                .filter(r -> r.status() == BackupStatus.AVAILABLE)
                .toList();
        return available.isEmpty() ? Optional.empty() : Optional.of(available.get(available.size() - 1));
    }

    /**
     * Every backup ever recorded of one volume, deleted ones included, oldest first: the history the
     * chain and retention policies decide on (a chain's length counts backups retention has deleted).
     */
    public List<BackupRecord> history(String cluster, VolumeRef volume) {
        return list(new BackupFilter(Optional.of(cluster), Optional.of(volume), true));
    }

    /**
     * Backups left {@code creating} or {@code deleting}, oldest first: work in progress, or left by a
     * process that died. Only the holder of the volume's lease can tell which.
     */
    public List<BackupRecord> unfinished() {
        return run("list unfinished backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM backups WHERE status IN (?, ?) ORDER BY started_at, id")) {
                statement.setString(1, BackupStatus.CREATING.label());
                statement.setString(2, BackupStatus.DELETING.label());
                return readAll(statement);
            }
        });
    }

    /** The volumes of a cluster that have backups not yet deleted, sorted by locator. */
    public List<VolumeRef> volumesWithBackups(String cluster) {
        return run("list volumes with backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT volume FROM backups"
                    + " WHERE cluster = ? AND status <> ? ORDER BY volume")) {
                statement.setString(1, cluster);
                statement.setString(2, BackupStatus.DELETED.label());
                List<VolumeRef> volumes = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        volumes.add(new VolumeRef(rows.getString(1)));
                    }
                }
                return volumes;
            }
        });
    }

    /**
     * Every backup of a cluster, deleted ones included, by volume, each volume's oldest first: the histories a
     * firing of many volumes plans from, in one read instead of one per volume.
     */
    public Map<VolumeRef, List<BackupRecord>> histories(String cluster) {
        return run("read the backup histories of cluster " + cluster, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM backups WHERE cluster = ? ORDER BY volume, started_at, id")) {
                statement.setString(1, cluster);
                Map<VolumeRef, List<BackupRecord>> byVolume = new LinkedHashMap<>();
                for (BackupRecord record : readAll(statement)) {
                    byVolume.computeIfAbsent(record.volume(), v -> new ArrayList<>()).add(record);
                }
                return byVolume;
            }
        });
    }

    /**
     * Every backup of a cluster as the chain and retention policies see them (id, kind, parent, time, status), by
     * volume, each volume's oldest first: what planning a firing of thousands of volumes reads, in one query of
     * seven narrow columns.
     */
    public Map<VolumeRef, List<BackupEntry>> entries(String cluster) {
        return run("read the backup histories of cluster " + cluster, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, volume, kind, parent_id, status,"
                    + " started_at FROM backups WHERE cluster = ? ORDER BY volume, started_at")) {
                statement.setString(1, cluster);
                Map<VolumeRef, List<BackupEntry>> byVolume = new LinkedHashMap<>();
                Map<String, VolumeRef> volumes = new java.util.HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        VolumeRef volume = volumes.computeIfAbsent(rows.getString(2), VolumeRef::new);
                        String parent = rows.getString(4);
                        byVolume.computeIfAbsent(volume, v -> new ArrayList<>()).add(new BackupEntry(
                                new BackupId(rows.getString(1)),
                                BackupKind.valueOf(rows.getString(3).toUpperCase(java.util.Locale.ROOT)),
                                Optional.ofNullable(parent).map(BackupId::new), database.readInstant(rows, "started_at"),
                                BackupStatus.fromLabel(rows.getString(5))));
                    }
                }
                return byVolume;
            }
        });
    }

    /** How many backup records there are, deleted ones included. */
    public long count() {
        return run("count backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM backups");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Adds many records at once, in one transaction: all or none. Each record's parent must come before it (or
     * already be in the catalog).
     */
    public void insertAll(List<BackupRecord> records) {
        String sql = "INSERT INTO backups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        database.transaction("record " + records.size() + " backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int pending = 0;
                for (BackupRecord record : records) {
                    bindAll(statement, record);
                    statement.addBatch();
                    if (++pending == 1000) {
                        statement.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    statement.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * For every volume that has an available backup, when the newest of them finished: how old the newest
     * restore point is ({@code cairn serve}'s metrics alert on it). Sorted by cluster and volume.
     */
    public List<NewestBackup> newestAvailablePerVolume() {
        return run("find the newest backup of each volume", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT cluster, volume, MAX(finished_at)"
                    + " AS newest_finished FROM backups WHERE status = ? GROUP BY cluster, volume ORDER BY cluster, volume")) {
                statement.setString(1, BackupStatus.AVAILABLE.label());
                List<NewestBackup> newest = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Instant finished = database.readInstant(rows, "newest_finished");
                        if (finished != null) {
                            newest.add(new NewestBackup(rows.getString(1), new VolumeRef(rows.getString(2)), finished));
                        }
                    }
                }
                return newest;
            }
        });
    }

    /**
     * The newest available backup of a volume, by when it finished.
     *
     * @param cluster    the cluster
     * @param volume     the volume
     * @param finishedAt when the backup finished
     */
    public record NewestBackup(String cluster, VolumeRef volume, Instant finishedAt) {
    }

    /** Backups whose parent is {@code id} and that are not deleted. */
    public List<BackupRecord> children(BackupId id) {
        return run("list children of backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM backups WHERE parent_id = ? AND status <> ? ORDER BY started_at")) {
                statement.setString(1, id.value());
                statement.setString(2, BackupStatus.DELETED.label());
                return readAll(statement);
            }
        });
    }

    private void bindAll(PreparedStatement statement, BackupRecord record) throws SQLException {
        statement.setString(1, record.id().value());
        bindFields(statement, record, 2);
    }

    /** Binds every column but the id, from {@code first}; returns the next free index. */
    private int bindFields(PreparedStatement statement, BackupRecord record, int first) throws SQLException {
        int i = first;
        statement.setString(i++, record.cluster());
        statement.setString(i++, record.volume().locator());
        statement.setString(i++, record.kind().label());
        statement.setString(i++, record.parent().map(BackupId::value).orElse(null));
        statement.setString(i++, record.chain().value());
        statement.setString(i++, record.status().label());
        statement.setString(i++, record.snapshotName().orElse(null));
        statement.setLong(i++, record.volumeSizeBytes());
        statement.setLong(i++, record.bytesTransferred());
        statement.setLong(i++, record.bytesWritten());
        database.bindInstant(statement, i++, record.startedAt());
        database.bindInstant(statement, i++, record.finishedAt().orElse(null));
        statement.setString(i++, StringMapColumn.write(record.labels()));
        statement.setString(i++, StringMapColumn.write(record.serviceMetadata().entries()));
        statement.setString(i++, record.planReason());
        statement.setString(i++, record.errorReason().orElse(null));
        return i;
    }

    private List<BackupRecord> readAll(PreparedStatement statement) throws SQLException {
        List<BackupRecord> records = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                records.add(read(rows));
            }
        }
        return records;
    }

    private BackupRecord read(ResultSet row) throws SQLException {
        String id = row.getString("id");
        Instant finished = database.readInstant(row, "finished_at");
        return new BackupRecord(
                new BackupId(id),
                row.getString("cluster"),
                new VolumeRef(row.getString("volume")),
                BackupKind.valueOf(row.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                Optional.ofNullable(row.getString("parent_id")).map(BackupId::new),
                new BackupId(row.getString("chain_id")),
                BackupStatus.fromLabel(row.getString("status")),
                Optional.ofNullable(row.getString("snapshot_name")),
                row.getLong("volume_size_bytes"),
                row.getLong("bytes_transferred"),
                row.getLong("bytes_written"),
                database.readInstant(row, "started_at"),
                Optional.ofNullable(finished),
                StringMapColumn.read(row.getString("labels"), "labels", id),
                new ServiceMetadata(StringMapColumn.read(row.getString("service_metadata"), "service_metadata", id)),
                row.getString("plan_reason"),
                Optional.ofNullable(row.getString("error_reason")));
    }

    private <T> T run(String what, CatalogDatabase.SqlWork<T> work) {
        return database.run(what, work);
    }

    /**
     * A window of a listing, counted from the newest backup.
     *
     * @param limit  at most this many backups (at least 1)
     * @param offset after skipping this many of the newest (at least 0)
     */
    public record Page(int limit, int offset) {
        public Page {
            if (limit < 1 || offset < 0) {
                throw new IllegalArgumentException("a page needs a limit of at least 1 and an offset of at least 0");
            }
        }
    }
}
