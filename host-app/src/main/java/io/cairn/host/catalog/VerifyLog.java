package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.operation.VerifyResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every verify of every backup, in table {@code verifications}: the newest is a backup's verify result,
 * the newest complete one says when it was last verified in full.
 */
public final class VerifyLog {

    private static final String COLUMNS = "id, backup_id, started_at, finished_at, result, sample_percent, complete,"
            + " source_compared, size_bytes, checked_bytes, read_bytes, damaged, notes, host";
    /** {@link #COLUMNS} of table alias {@code v}, for joins. */
    private static final String QUALIFIED = "v." + COLUMNS.replace(", ", ", v.");

    private final CatalogDatabase database;

    public VerifyLog(CatalogDatabase database) {
        this.database = database;
    }

    public void record(VerifyRecord verify) {
        database.run("record a verify of backup " + verify.backupId(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO verifications (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 1;
                statement.setString(i++, verify.id());
                statement.setString(i++, verify.backupId().value());
                CatalogTimes.bind(database, statement, i++, verify.startedAt());
                CatalogTimes.bind(database, statement, i++, verify.finishedAt());
                statement.setString(i++, verify.result().label());
                statement.setDouble(i++, verify.samplePercent());
                statement.setInt(i++, verify.complete() ? 1 : 0);
                statement.setInt(i++, verify.sourceCompared() ? 1 : 0);
                statement.setLong(i++, verify.sizeBytes());
                statement.setLong(i++, verify.checkedBytes());
                statement.setLong(i++, verify.readBytes());
                statement.setString(i++, JsonColumns.ranges(verify.damaged()));
                statement.setString(i++, JsonColumns.strings(verify.notes()));
                statement.setString(i, verify.host());
                statement.executeUpdate();
            }
            return null;
        });
    }

    /** The backup's newest verify. */
    public Optional<VerifyRecord> latest(BackupId backup) {
        List<VerifyRecord> all = history(backup);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The backup's newest verify that found damage. */
    public Optional<VerifyRecord> latestCorrupt(BackupId backup) {
        return history(backup).stream().filter(v -> v.result() == VerifyResult.Verdict.CORRUPT)
                .reduce((older, newer) -> newer);
    }

    /** Every verify of a backup, oldest first. */
    public List<VerifyRecord> history(BackupId backup) {
        return database.run("read the verifies of backup " + backup, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM verifications WHERE backup_id = ? ORDER BY finished_at, id")) {
                statement.setString(1, backup.value());
                List<VerifyRecord> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    /** Every verify of every backup, for copying the catalog. */
    List<VerifyRecord> all() {
        return database.run("read every verify", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM verifications ORDER BY finished_at, id")) {
                List<VerifyRecord> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    /**
     * Verifies that finished at or after {@code since}, in the order they finished (then by id), after the one
     * {@code afterId} finished at {@code since} (empty: from the first); at most {@code limit}, each with its
     * backup's cluster. Read through index {@code verifications_by_end}: for serve's metrics, which count
     * every verify once, whichever process ran it.
     */
    public List<ClusterVerify> finishedSince(Instant since, String afterId, int limit) {
        return database.run("read the verifies finished since " + since, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + QUALIFIED + ", b.cluster"
                    + " FROM verifications v JOIN backups b ON b.id = v.backup_id"
                    + " WHERE v.finished_at >= ? AND (v.finished_at > ? OR v.id > ?)"
                    + " ORDER BY v.finished_at, v.id LIMIT ?")) {
                CatalogTimes.bind(database, statement, 1, since);
                CatalogTimes.bind(database, statement, 2, since);
                statement.setString(3, afterId);
                statement.setInt(4, limit);
                List<ClusterVerify> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(new ClusterVerify(rows.getString("cluster"), read(rows)));
                    }
                }
                return records;
            }
        });
    }

    /**
     * When the newest complete verify that found a backup intact finished, by the backup's cluster. Reads every
     * verify once (no index orders them by cluster): serve's metrics ask at start, then follow
     * {@link #finishedSince}.
     */
    public Map<String, Instant> newestCompleteIntactByCluster() {
        return database.run("read the newest complete intact verify of each cluster", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT b.cluster, MAX(v.finished_at)"
                    + " AS newest FROM verifications v JOIN backups b ON b.id = v.backup_id"
                    + " WHERE v.complete = 1 AND v.result = ? GROUP BY b.cluster")) {
                statement.setString(1, VerifyResult.Verdict.INTACT.label());
                Map<String, Instant> newest = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Instant at = CatalogTimes.read(database, rows, "newest");
                        if (at != null) {
                            newest.put(rows.getString("cluster"), at);
                        }
                    }
                }
                return newest;
            }
        });
    }

    /**
     * A verify with the cluster of the backup it verified.
     *
     * @param cluster the backup's cluster
     * @param verify  the verify
     */
    public record ClusterVerify(String cluster, VerifyRecord verify) {
    }

    /** When each backup of a volume was last verified in full (complete), for those that ever were. */
    public Map<BackupId, Instant> lastComplete(String cluster, String volume) {
        return database.run("read the last full verifies of " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT v.backup_id, v.finished_at"
                    + " FROM verifications v JOIN backups b ON b.id = v.backup_id"
                    + " WHERE b.cluster = ? AND b.volume = ? AND v.complete = 1")) {
                statement.setString(1, cluster);
                statement.setString(2, volume);
                Map<BackupId, Instant> last = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Instant at = CatalogTimes.read(database, rows, "finished_at");
                        last.merge(new BackupId(rows.getString("backup_id")), at, (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
                return last;
            }
        });
    }

    private VerifyRecord read(ResultSet row) throws SQLException {
        return new VerifyRecord(row.getString("id"), new BackupId(row.getString("backup_id")),
                CatalogTimes.read(database, row, "started_at"), CatalogTimes.read(database, row, "finished_at"),
                VerifyResult.Verdict.valueOf(row.getString("result").toUpperCase(Locale.ROOT)),
                row.getDouble("sample_percent"), row.getInt("complete") == 1, row.getInt("source_compared") == 1,
                row.getLong("size_bytes"), row.getLong("checked_bytes"), row.getLong("read_bytes"),
                JsonColumns.ranges(row.getString("damaged")), JsonColumns.strings(row.getString("notes")),
                row.getString("host"));
    }
}
