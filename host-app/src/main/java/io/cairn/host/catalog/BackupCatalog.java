package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.policy.BackupEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Every backup the host has made or tried, in the catalog database.
 *
 * <p>Status changes are compare-and-set ({@link #update(BackupRecord, BackupStatus)}), so two
 * processes sharing the database cannot both move one backup on.
 */
public final class BackupCatalog {

    private static final String COLUMNS = "id, cluster, volume, kind, parent_id, chain_id, status,"
            + " volume_size_bytes, bytes_transferred, bytes_written, started_at, finished_at, labels,"
            + " service_metadata, plan_reason, error_reason, snapshot_name, snapshot_identity, snapshot_size_bytes,"
            + " snapshot_taken_at, snapshot_state";
    private static final String RESOURCE_COLUMNS = "backup_id, position, kind, name, identity, state, recorded_at";
    private static final String PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    private static final int MINIMUM_PREFIX = 4;
    /** The statuses of backups whose data is stored: the parents the chain policy chooses from. */
    private static final List<BackupStatus> STORED = java.util.Arrays.stream(BackupStatus.values())
            .filter(BackupStatus::isStored).toList();
    /** How many rows a streamed listing asks the database for at a time. */
    private static final int STREAMED_ROWS = 500;
    /** Ids in one {@code IN} list: well within every database's limit on a statement's parameters. */
    private static final int IDS_PER_QUERY = 500;

    private final CatalogDatabase database;

    public BackupCatalog(CatalogDatabase database) {
        this.database = database;
    }

    /** Adds a new backup record. */
    public void insert(BackupRecord record) {
        String sql = "INSERT INTO backups (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")";
        run("record backup " + record.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bindAll(statement, record);
                statement.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Replaces a record, provided its status is still {@code expected}. The source snapshot is not
     * written here: it changes only through {@link #recordSnapshot} and {@link #snapshotRemoved}, so that
     * a record read before the snapshot was removed can never bring it back as held.
     *
     * @return whether it was updated (false: another process changed its status first)
     */
    public boolean update(BackupRecord record, BackupStatus expected) {
        String sql = "UPDATE backups SET cluster = ?, volume = ?, kind = ?, parent_id = ?, chain_id = ?, status = ?,"
                + " volume_size_bytes = ?, bytes_transferred = ?, bytes_written = ?, started_at = ?,"
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
     * The records of many backups by id, a few hundred ids per query (every database takes that many
     * parameters in one IN list): a listing of sets reads its members this way, not one query each.
     * Ids without a record are missing from the map.
     */
    public Map<BackupId, BackupRecord> findAll(Collection<BackupId> ids) {
        Map<BackupId, BackupRecord> found = new HashMap<>();
        List<BackupId> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<BackupId> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            run("read " + chunk.size() + " backups", connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM backups WHERE id IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        statement.setString(i + 1, chunk.get(i).value());
                    }
                    return readAll(statement);
                }
            }).forEach(record -> found.put(record.id(), record));
        }
        return found;
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

    /**
     * Every backup matching the filter, oldest first, handed to {@code each} one at a time as the rows are read: a
     * listing of the whole catalog (100,000 backups and more) without holding it in memory. On PostgreSQL the rows
     * come a few hundred at a time, in a transaction (its driver reads a whole result before the first row
     * otherwise); on SQLite and H2 one statement reads them, outside a transaction, so that no lock is held while
     * the listing is written out (SQLite's transactions take the write lock when they begin). A connection lost
     * after the first backup was handed on is not retried (the listing would repeat itself): it fails.
     */
    public void forEach(BackupFilter filter, Consumer<BackupRecord> each) {
        String query = listQuery(filter, Optional.empty());
        List<String> arguments = listArguments(filter);
        boolean[] handedOn = {false};
        CatalogDatabase.SqlWork<Void> work = connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setFetchSize(STREAMED_ROWS);
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setString(i + 1, arguments.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        BackupRecord record = read(rows);
                        handedOn[0] = true;
                        each.accept(record);
                    }
                }
            } catch (SQLException e) {
                if (handedOn[0]) {
                    throw new CatalogException("cannot list backups in catalog " + database.url() + ": "
                            + e.getMessage() + " (the listing stopped part way)", e);
                }
                throw e;
            }
            return null;
        };
        if (database.dialect() == CatalogDialect.POSTGRESQL) {
            database.transaction("list backups", work);
        } else {
            database.run("list backups", work);
        }
    }

    private List<BackupRecord> list(BackupFilter filter, Optional<Page> page) {
        String query = listQuery(filter, page);
        List<String> arguments = listArguments(filter);
        return run("list backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setString(i + 1, arguments.get(i));
                }
                return readAll(statement);
            }
        });
    }

    /** The values of {@link #listQuery}'s parameters, in order. */
    private static List<String> listArguments(BackupFilter filter) {
        List<String> arguments = new ArrayList<>();
        filter.cluster().ifPresent(arguments::add);
        filter.volume().ifPresent(v -> arguments.add(v.locator()));
        return arguments;
    }

    private static String listQuery(BackupFilter filter, Optional<Page> page) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM backups WHERE 1 = 1");
        if (filter.cluster().isPresent()) {
            sql.append(" AND cluster = ?");
        }
        if (filter.volume().isPresent()) {
            sql.append(" AND volume = ?");
        }
        if (!filter.includeDeleted()) {
            // Expiring backups are deleted as far as an operator is concerned (only undelete sees them).
            sql.append(" AND status NOT IN ('").append(BackupStatus.DELETED.label()).append("', '")
                    .append(BackupStatus.EXPIRING.label()).append("')");
        }
        if (!filter.statuses().isEmpty()) {
            // Labels are the enum's own constants, never the caller's text: safe to write into the query.
            sql.append(filter.statuses().stream().map(status -> "'" + status.label() + "'").sorted()
                    .collect(Collectors.joining(", ", " AND status IN (", ")")));
        }
        if (page.isPresent()) {
            return "SELECT " + COLUMNS + " FROM (" + sql + " ORDER BY started_at DESC, id DESC LIMIT "
                    + page.get().limit() + " OFFSET " + page.get().offset() + ") newest ORDER BY started_at, id";
        }
        return sql + " ORDER BY started_at, id";
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
     * volume, each volume's oldest first: the whole histories, in one query of six narrow columns. (Planning a
     * firing reads only the {@link #currentChains current chains}.)
     */
    public Map<VolumeRef, List<BackupEntry>> entries(String cluster) {
        return run("read the backup histories of cluster " + cluster, connection -> {
            // In the order of the index on (cluster, volume, started_at): no sort, and one volume's rows together.
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, volume, kind, parent_id, status,"
                    + " started_at FROM backups WHERE cluster = ? ORDER BY volume, started_at")) {
                statement.setString(1, cluster);
                return readEntries(statement);
            }
        });
    }

    /** Rows of (id, volume, kind, parent_id, status, started_at), one volume's together, as entries by volume. */
    private Map<VolumeRef, List<BackupEntry>> readEntries(PreparedStatement statement) throws SQLException {
        Map<VolumeRef, List<BackupEntry>> byVolume = new LinkedHashMap<>();
        String volume = null;
        List<BackupEntry> history = null;
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String rowVolume = rows.getString(2);
                if (!rowVolume.equals(volume)) {
                    volume = rowVolume;
                    history = byVolume.computeIfAbsent(new VolumeRef(rowVolume), v -> new ArrayList<>());
                }
                String parent = rows.getString(4);
                history.add(new BackupEntry(new BackupId(rows.getString(1)), kind(rows.getString(3)),
                        parent == null ? Optional.empty() : Optional.of(new BackupId(parent)),
                        database.readInstant(rows, 6), BackupStatus.fromLabel(rows.getString(5))));
            }
        }
        return byVolume;
    }

    /**
     * The current chain of every volume of a cluster that has a stored backup ({@link BackupStatus#isStored}), as
     * the chain policy sees it: the newest stored backup (all of them, when several share the newest time) and
     * every backup of the volume recorded in the same chain ({@code chain_id}), deleted ones included; by volume,
     * oldest first. What planning a firing needs, read in one query whose size grows with the length of the chains
     * rather than of the histories (deleted records stay in the catalog for good).
     *
     * <p>A chain whose parents lead out of its {@code chain_id} (a catalog written by hand or by another tool) is
     * not followed here: the chain policy finds a parent missing, and the caller reads that volume's whole
     * {@link #entries history} to decide on.
     */
    public Map<VolumeRef, List<BackupEntry>> currentChains(String cluster) {
        String stored = String.join(", ", java.util.Collections.nCopies(STORED.size(), "?"));
        String sql = "SELECT b.id, b.volume, b.kind, b.parent_id, b.status, b.started_at FROM backups b"
                + " JOIN (SELECT DISTINCT s.volume, s.chain_id FROM backups s"
                + " JOIN (SELECT volume, MAX(started_at) AS newest FROM backups WHERE cluster = ? AND status IN ("
                + stored + ") GROUP BY volume) n ON s.volume = n.volume AND s.started_at = n.newest"
                + " WHERE s.cluster = ? AND s.status IN (" + stored + ")) c"
                + " ON b.volume = c.volume AND b.chain_id = c.chain_id"
                + " WHERE b.cluster = ? ORDER BY b.volume, b.started_at";
        return run("read the current backup chains of cluster " + cluster, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 1;
                statement.setString(i++, cluster);
                for (BackupStatus status : STORED) {
                    statement.setString(i++, status.label());
                }
                statement.setString(i++, cluster);
                for (BackupStatus status : STORED) {
                    statement.setString(i++, status.label());
                }
                statement.setString(i, cluster);
                return readEntries(statement);
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
        String sql = "INSERT INTO backups (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")";
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
     * How many backups each cluster has in each of {@code statuses}, through index {@code backups_by_status}:
     * cheap for the few statuses few backups are in (corrupt, expiring), which serve's metrics count at each
     * scrape. A cluster with none of a status has no entry for it.
     */
    public Map<String, Map<BackupStatus, Long>> countByClusterAndStatus(Set<BackupStatus> statuses) {
        if (statuses.isEmpty()) {
            return Map.of();
        }
        return run("count backups by cluster and status", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT cluster, status, COUNT(*) AS n"
                    + " FROM backups WHERE status IN (" + String.join(", ", java.util.Collections.nCopies(
                            statuses.size(), "?")) + ") GROUP BY cluster, status")) {
                int i = 1;
                for (BackupStatus status : statuses) {
                    statement.setString(i++, status.label());
                }
                Map<String, Map<BackupStatus, Long>> counts = new java.util.TreeMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        counts.computeIfAbsent(rows.getString("cluster"), c -> new java.util.EnumMap<>(BackupStatus.class))
                                .put(BackupStatus.fromLabel(rows.getString("status")), rows.getLong("n"));
                    }
                }
                return counts;
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

    /**
     * Records the source snapshot taken for a backup, held by the host from now on. Called as soon as the
     * backend returned it, before anything else happens to the backup.
     */
    public void recordSnapshot(BackupId id, SourceSnapshot snapshot) {
        String sql = "UPDATE backups SET snapshot_name = ?, snapshot_identity = ?, snapshot_size_bytes = ?,"
                + " snapshot_taken_at = ?, snapshot_state = ? WHERE id = ?";
        int updated = run("record the snapshot of backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bindSnapshot(statement, Optional.of(snapshot), 1);
                statement.setString(6, id.value());
                return statement.executeUpdate();
            }
        });
        if (updated != 1) {
            throw new IllegalStateException("cannot record snapshot " + snapshot.name() + ": backup " + id
                    + " is not in catalog " + database.url());
        }
    }

    /** Records that the host removed a backup's source snapshot (or found it gone). */
    public void snapshotRemoved(BackupId id) {
        run("record the removal of the snapshot of backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE backups SET snapshot_state = ? WHERE id = ? AND snapshot_name IS NOT NULL")) {
                statement.setString(1, HoldState.REMOVED.label());
                statement.setString(2, id.value());
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Records one call of a backend's resource journal: a storage object about to be created (empty
     * identity), or one that now exists (with its identity), which replaces the earlier record of the
     * same kind and name. Returns once it is stored: the backend creates the object only then.
     */
    public void recordResource(BackupId id, StoredResource resource, Instant now) {
        run("record " + resource + " of backup " + id, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE backup_resources SET identity = ?,"
                    + " state = ? WHERE backup_id = ? AND kind = ? AND name = ?")) {
                update.setString(1, resource.identity());
                update.setString(2, HoldState.HELD.label());
                update.setString(3, id.value());
                update.setString(4, resource.kind());
                update.setString(5, resource.name());
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            // One backup's journal is written by one transfer at a time, so the next position is free.
            int position;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM backup_resources WHERE backup_id = ?")) {
                next.setString(1, id.value());
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    position = row.getInt(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backup_resources ("
                    + RESOURCE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id.value());
                insert.setInt(2, position);
                insert.setString(3, resource.kind());
                insert.setString(4, resource.name());
                insert.setString(5, resource.identity());
                insert.setString(6, HoldState.HELD.label());
                database.bindInstant(insert, 7, now);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** What was recorded for a backup, in the order first recorded. */
    public List<RecordedResource> resources(BackupId id) {
        return run("read the resources of backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + RESOURCE_COLUMNS
                    + " FROM backup_resources WHERE backup_id = ? ORDER BY position")) {
                statement.setString(1, id.value());
                return readResources(statement);
            }
        });
    }

    /** Every recorded resource of every backup, each backup's in the order first recorded (for a copy). */
    public Map<BackupId, List<RecordedResource>> allResources() {
        return run("read all recorded resources", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + RESOURCE_COLUMNS
                    + " FROM backup_resources ORDER BY backup_id, position");
                    ResultSet rows = statement.executeQuery()) {
                Map<BackupId, List<RecordedResource>> all = new LinkedHashMap<>();
                while (rows.next()) {
                    all.computeIfAbsent(new BackupId(rows.getString("backup_id")), id -> new ArrayList<>())
                            .add(readResource(rows));
                }
                return all;
            }
        });
    }

    /**
     * Adds recorded resources as they are (order, identity, state, time), in one transaction: for a copy of a
     * catalog, whose backups are already in.
     */
    public void insertResources(Map<BackupId, List<RecordedResource>> resources) {
        database.transaction("record the resources of " + resources.size() + " backups", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backup_resources ("
                    + RESOURCE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<BackupId, List<RecordedResource>> backup : resources.entrySet()) {
                    int position = 0;
                    for (RecordedResource recorded : backup.getValue()) {
                        insert.setString(1, backup.getKey().value());
                        insert.setInt(2, ++position);
                        insert.setString(3, recorded.resource().kind());
                        insert.setString(4, recorded.resource().name());
                        insert.setString(5, recorded.resource().identity());
                        insert.setString(6, recorded.state().label());
                        database.bindInstant(insert, 7, recorded.recordedAt());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** How many resources are recorded, of every backup. */
    public long countResources() {
        return run("count recorded resources", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM backup_resources");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Records that the backend's delete of a backup finished: its resources are no longer its (removed,
     * or kept by the backend for other backups of the chain, which own them through their metadata).
     */
    public void resourcesRemoved(BackupId id) {
        run("record the removal of the resources of backup " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE backup_resources SET state = ? WHERE backup_id = ?")) {
                statement.setString(1, HoldState.REMOVED.label());
                statement.setString(2, id.value());
                return statement.executeUpdate();
            }
        });
    }

    /**
     * The backups of a volume that still hold a recorded resource: with {@link BackupRecord#holdsSnapshot},
     * what says whether a failed backup left something to remove, in one query for the whole volume.
     */
    public Set<BackupId> holdingResources(String cluster, VolumeRef volume) {
        return run("find the backups of " + volume + " that hold resources", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT r.backup_id"
                    + " FROM backup_resources r JOIN backups b ON b.id = r.backup_id"
                    + " WHERE b.cluster = ? AND b.volume = ? AND r.state = ?")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                statement.setString(3, HoldState.HELD.label());
                Set<BackupId> holding = new HashSet<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        holding.add(new BackupId(rows.getString(1)));
                    }
                }
                return holding;
            }
        });
    }

    /**
     * The backend's address of a backup: its own metadata, its held source snapshot and every resource
     * recorded for it.
     */
    public BackupRef ref(BackupRecord record) {
        return record.ref(resources(record.id()).stream().map(RecordedResource::resource).toList());
    }

    /**
     * Held resources of backups not yet deleted whose name is {@code name}, or is {@code name} followed by
     * {@code @} and more (a snapshot on it): what a restore into {@code name} would write over.
     */
    public List<OwnedResource> heldResourcesAt(String name) {
        String pattern = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%";
        return run("look up resources named " + name, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT b.cluster, r.backup_id, r.kind,"
                    + " r.name, r.identity FROM backup_resources r JOIN backups b ON b.id = r.backup_id"
                    + " WHERE r.state = ? AND b.status <> ? AND (r.name = ? OR r.name LIKE ? ESCAPE '\\')"
                    + " ORDER BY r.backup_id, r.position")) {
                statement.setString(1, HoldState.HELD.label());
                statement.setString(2, BackupStatus.DELETED.label());
                statement.setString(3, name);
                statement.setString(4, pattern);
                List<OwnedResource> found = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(new OwnedResource(rows.getString(1), new BackupId(rows.getString(2)),
                                new StoredResource(rows.getString(3), rows.getString(4), rows.getString(5))));
                    }
                }
                return found;
            }
        });
    }

    /** A held resource and the backup (and cluster) it belongs to. */
    public record OwnedResource(String cluster, BackupId backup, StoredResource resource) {
    }

    private List<RecordedResource> readResources(PreparedStatement statement) throws SQLException {
        List<RecordedResource> resources = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                resources.add(readResource(rows));
            }
        }
        return resources;
    }

    private RecordedResource readResource(ResultSet row) throws SQLException {
        return new RecordedResource(new StoredResource(row.getString("kind"), row.getString("name"),
                row.getString("identity")), HoldState.fromLabel(row.getString("state")),
                database.readInstant(row, "recorded_at"));
    }

    private void bindAll(PreparedStatement statement, BackupRecord record) throws SQLException {
        statement.setString(1, record.id().value());
        int next = bindFields(statement, record, 2);
        bindSnapshot(statement, record.snapshot(), next);
    }

    /** Binds the five snapshot columns from {@code first}, all null without a snapshot. */
    private void bindSnapshot(PreparedStatement statement, Optional<SourceSnapshot> snapshot, int first)
            throws SQLException {
        int i = first;
        if (snapshot.isEmpty()) {
            statement.setString(i++, null);
            statement.setString(i++, null);
            statement.setNull(i++, Types.BIGINT);
            database.bindInstant(statement, i++, null);
            statement.setString(i, null);
            return;
        }
        SourceSnapshot taken = snapshot.get();
        statement.setString(i++, taken.name());
        statement.setString(i++, taken.identity());
        statement.setLong(i++, taken.sizeBytes());
        database.bindInstant(statement, i++, taken.takenAt());
        statement.setString(i, taken.state().label());
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

    /**
     * One row of {@link #COLUMNS}, read by position: listings and copies read 100,000 rows and more, and a lookup by
     * name costs the driver a search of the column names for every value.
     */
    private BackupRecord read(ResultSet row) throws SQLException {
        String id = row.getString(1);
        Instant started = database.readInstant(row, 11);
        Instant finished = database.readInstant(row, 12);
        return new BackupRecord(
                new BackupId(id),
                row.getString(2),
                new VolumeRef(row.getString(3)),
                kind(row.getString(4)),
                Optional.ofNullable(row.getString(5)).map(BackupId::new),
                new BackupId(row.getString(6)),
                BackupStatus.fromLabel(row.getString(7)),
                readSnapshot(row, started),
                row.getLong(8),
                row.getLong(9),
                row.getLong(10),
                started,
                Optional.ofNullable(finished),
                StringMapColumn.read(row.getString(13), "labels", id),
                new ServiceMetadata(StringMapColumn.read(row.getString(14), "service_metadata", id)),
                row.getString(15),
                Optional.ofNullable(row.getString(16)));
    }

    /** The source snapshot of a row of {@link #COLUMNS} (columns 17 to 21). */
    private Optional<SourceSnapshot> readSnapshot(ResultSet row, Instant started) throws SQLException {
        String name = row.getString(17);
        if (name == null) {
            return Optional.empty();
        }
        Instant taken = database.readInstant(row, 20);
        String state = row.getString(21);
        return Optional.of(new SourceSnapshot(name, Optional.ofNullable(row.getString(18)).orElse(""),
                row.getLong(19), taken == null ? started : taken,
                state == null ? HoldState.HELD : HoldState.fromLabel(state)));
    }

    /** A backup's kind as stored ({@code full}, {@code incremental}), matched without upper-casing each row's. */
    private static BackupKind kind(String label) {
        return switch (label) {
            case "full" -> BackupKind.FULL;
            case "incremental" -> BackupKind.INCREMENTAL;
            default -> BackupKind.valueOf(label.toUpperCase(java.util.Locale.ROOT));
        };
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
