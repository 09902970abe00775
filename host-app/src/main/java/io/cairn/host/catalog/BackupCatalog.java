package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
        List<BackupRecord> matches = run("look up backup " + text, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM backups WHERE id LIKE ? ORDER BY started_at")) {
                statement.setString(1, text + "%");
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
        sql.append(" ORDER BY started_at, id");
        return run("list backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
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
     * For every volume that has an available backup, when the newest of them finished: how old the newest
     * restore point is ({@code cairn serve}'s metrics alert on it). Sorted by cluster and volume.
     */
    public List<NewestBackup> newestAvailablePerVolume() {
        return run("find the newest backup of each volume", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT cluster, volume, MAX(finished_at)"
                    + " FROM backups WHERE status = ? GROUP BY cluster, volume ORDER BY cluster, volume")) {
                statement.setString(1, BackupStatus.AVAILABLE.label());
                List<NewestBackup> newest = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        OffsetDateTime finished = rows.getObject(3, OffsetDateTime.class);
                        if (finished != null) {
                            newest.add(new NewestBackup(rows.getString(1), new VolumeRef(rows.getString(2)),
                                    finished.toInstant()));
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

    private static void bindAll(PreparedStatement statement, BackupRecord record) throws SQLException {
        statement.setString(1, record.id().value());
        bindFields(statement, record, 2);
    }

    /** Binds every column but the id, from {@code first}; returns the next free index. */
    private static int bindFields(PreparedStatement statement, BackupRecord record, int first) throws SQLException {
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
        statement.setObject(i++, utc(record.startedAt()));
        if (record.finishedAt().isPresent()) {
            statement.setObject(i++, utc(record.finishedAt().get()));
        } else {
            statement.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        statement.setString(i++, StringMapColumn.write(record.labels()));
        statement.setString(i++, StringMapColumn.write(record.serviceMetadata().entries()));
        statement.setString(i++, record.planReason());
        statement.setString(i++, record.errorReason().orElse(null));
        return i;
    }

    private static List<BackupRecord> readAll(PreparedStatement statement) throws SQLException {
        List<BackupRecord> records = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                records.add(read(rows));
            }
        }
        return records;
    }

    private static BackupRecord read(ResultSet row) throws SQLException {
        String id = row.getString("id");
        OffsetDateTime finished = row.getObject("finished_at", OffsetDateTime.class);
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
                row.getObject("started_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(finished).map(OffsetDateTime::toInstant),
                StringMapColumn.read(row.getString("labels"), "labels", id),
                new ServiceMetadata(StringMapColumn.read(row.getString("service_metadata"), "service_metadata", id)),
                row.getString("plan_reason"),
                Optional.ofNullable(row.getString("error_reason")));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private <T> T run(String what, CatalogDatabase.SqlWork<T> work) {
        return database.run(what, work);
    }
}
