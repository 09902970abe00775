package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Restores in table {@code restores} of the catalog: each is recorded when it starts and completed when
 * it ends, so one cut short by a crash stays visible, and is marked {@code interrupted} once its process
 * is known to be gone.
 *
 * <p>A running restore is a lease on its backup, renewed in the background like a volume lease: while
 * its holder lives, the backup is not deleted or pruned ({@link #live}). A holder that died on this host
 * is known at once; one elsewhere once its lease expires.
 */
public final class RestoreLog implements AutoCloseable {

    private static final String COLUMNS = "id, backup_id, cluster, target, status, holder, client, started_at,"
            + " expires_at, finished_at, bytes_written, error_reason";

    private final CatalogDatabase database;
    private final Duration duration;
    private final Clock clock;
    private final ProcessIdentity process;
    /** Created with the first running restore: a log only read (list, show, copy) starts no thread. */
    private ScheduledExecutorService renewals;

    /**
     * @param duration how long a running restore's lease lasts between renewals
     * @param process  this process, the first part of every holder it writes
     */
    public RestoreLog(CatalogDatabase database, Duration duration, Clock clock, ProcessIdentity process) {
        this.database = database;
        this.duration = duration;
        this.clock = clock;
        this.process = process;
    }

    private synchronized ScheduledExecutorService renewals() {
        if (renewals == null) {
            renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "restore-lease-renewal");
                thread.setDaemon(true);
                return thread;
            });
        }
        return renewals;
    }

    /**
     * Records a restore as running and holds its lease until {@link Running#close()}.
     *
     * @param client the backend client the restore works through, when the backend can fence clients
     */
    public Running start(BackupId backup, String cluster, VolumeRef target, Optional<String> client) {
        Instant now = clock.instant();
        RestoreRecord record = new RestoreRecord(UUID.randomUUID().toString(), backup, cluster, target,
                RestoreRecord.Status.RUNNING, process + "#" + UUID.randomUUID().toString().substring(0, 8), client, now,
                now.plus(duration), Optional.empty(), 0, Optional.empty());
        database.run("record " + record.describe(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO restores (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, record.id());
                statement.setString(2, backup.value());
                statement.setString(3, cluster);
                statement.setString(4, target.locator());
                statement.setString(5, record.status().label());
                statement.setString(6, record.holder());
                statement.setString(7, client.orElse(null));
                database.bindInstant(statement, 8, now);
                database.bindInstant(statement, 9, record.expiresAt());
                database.bindInstant(statement, 10, null);
                statement.setLong(11, 0);
                statement.setString(12, null);
                return statement.executeUpdate();
            }
        });
        return new Running(record);
    }

    /**
     * Running restores of a backup whose holder is alive - on this host a running process, elsewhere a
     * lease not yet expired: they keep the backup from being deleted.
     */
    public List<RestoreRecord> live(BackupId backup) {
        return query("read the restores of backup " + backup, "WHERE backup_id = ? AND status = ?", backup.value(),
                RestoreRecord.Status.RUNNING.label()).stream().filter(this::isLive).toList();
    }

    /** Whether a restore is running with its holder alive (not yet ended, and not left by a dead process). */
    public boolean isLive(RestoreRecord restore) {
        return restore.status() == RestoreRecord.Status.RUNNING && !restore.expiresAt().isBefore(clock.instant())
                && !process.isDeadLocalHolder(restore.holder(), VolumeLeases::isAlive);
    }

    /**
     * Marks every running restore whose holder is gone (a process of this host that no longer runs, or a
     * lease that expired) as interrupted.
     *
     * @return the restores marked now, for the operator and for fencing their clients
     */
    public List<RestoreRecord> interruptDead() {
        Instant now = clock.instant();
        List<RestoreRecord> marked = new ArrayList<>();
        for (RestoreRecord running : query("read running restores", "WHERE status = ?",
                RestoreRecord.Status.RUNNING.label())) {
            boolean expired = running.expiresAt().isBefore(now);
            if (!expired && !process.isDeadLocalHolder(running.holder(), VolumeLeases::isAlive)) {
                continue;
            }
            String reason = "interrupted: " + (expired ? "its lease expired at " + running.expiresAt()
                    : "its process " + running.holder() + " stopped") + " before it finished; " + running.target()
                    + " may hold a mix of old and restored data (the backend marks it incomplete where it can) until a"
                    + " restore into it finishes";
            if (end(running.id(), RestoreRecord.Status.INTERRUPTED, now, 0, Optional.of(reason))) {
                marked.add(find(running.id()).orElse(running));
            }
        }
        return marked;
    }

    /** A restore by id. */
    public Optional<RestoreRecord> find(String id) {
        List<RestoreRecord> found = query("read restore " + id, "WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The restores of one backup, oldest first. */
    public List<RestoreRecord> ofBackup(BackupId backup) {
        return query("read the restores of backup " + backup, "WHERE backup_id = ?", backup.value());
    }

    /** Every restore, oldest first (for a copy of the catalog). */
    public List<RestoreRecord> all() {
        return query("list restores", "");
    }

    /** Adds restores as they are, in one transaction: for a copy of a catalog, whose backups are already in. */
    public void insertAll(List<RestoreRecord> records) {
        database.transaction("record " + records.size() + " restores", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO restores (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (RestoreRecord record : records) {
                    statement.setString(1, record.id());
                    statement.setString(2, record.backup().value());
                    statement.setString(3, record.cluster());
                    statement.setString(4, record.target().locator());
                    statement.setString(5, record.status().label());
                    statement.setString(6, record.holder());
                    statement.setString(7, record.client().orElse(null));
                    database.bindInstant(statement, 8, record.startedAt());
                    database.bindInstant(statement, 9, record.expiresAt());
                    database.bindInstant(statement, 10, record.finishedAt().orElse(null));
                    statement.setLong(11, record.bytesWritten());
                    statement.setString(12, record.errorReason().orElse(null));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Restores that ended (finished, failed or interrupted) at or after {@code since}, in the order they
     * ended (then by id), after the one {@code afterId} ended at {@code since} (empty: from the first);
     * at most {@code limit}. Read through index {@code restores_by_end}, so a catalog of many restores
     * costs what the page holds: for serve's metrics, which observe every restore once.
     */
    public List<RestoreRecord> endedSince(Instant since, String afterId, int limit) {
        return database.run("read the restores that ended since " + since, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM restores"
                    + " WHERE finished_at >= ? AND (finished_at > ? OR id > ?) AND status <> ?"
                    + " ORDER BY finished_at, id LIMIT ?")) {
                database.bindInstant(statement, 1, since);
                database.bindInstant(statement, 2, since);
                statement.setString(3, afterId);
                statement.setString(4, RestoreRecord.Status.RUNNING.label());
                statement.setInt(5, limit);
                List<RestoreRecord> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    /** The newest {@code limit} restores, oldest of them first. */
    public List<RestoreRecord> newest(int limit) {
        List<RestoreRecord> all = query("list restores", "");
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    private List<RestoreRecord> query(String what, String where, String... arguments) {
        return database.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM restores "
                    + where + " ORDER BY started_at, id")) {
                for (int i = 0; i < arguments.length; i++) {
                    statement.setString(i + 1, arguments[i]);
                }
                List<RestoreRecord> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    private RestoreRecord read(ResultSet row) throws SQLException {
        Instant finished = database.readInstant(row, "finished_at");
        return new RestoreRecord(row.getString("id"), new BackupId(row.getString("backup_id")), row.getString("cluster"),
                new VolumeRef(row.getString("target")), RestoreRecord.Status.fromLabel(row.getString("status")),
                row.getString("holder"), Optional.ofNullable(row.getString("client")),
                database.readInstant(row, "started_at"), database.readInstant(row, "expires_at"),
                Optional.ofNullable(finished), row.getLong("bytes_written"),
                Optional.ofNullable(row.getString("error_reason")));
    }

    /** Ends a running restore; false when it was no longer running (marked interrupted by another process). */
    private boolean end(String id, RestoreRecord.Status status, Instant now, long bytesWritten, Optional<String> error) {
        return database.run("record the end of restore " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE restores SET status = ?,"
                    + " finished_at = ?, bytes_written = ?, error_reason = ? WHERE id = ? AND status = ?")) {
                statement.setString(1, status.label());
                database.bindInstant(statement, 2, now);
                statement.setLong(3, bytesWritten);
                statement.setString(4, error.map(RestoreLog::truncate).orElse(null));
                statement.setString(5, id);
                statement.setString(6, RestoreRecord.Status.RUNNING.label());
                return statement.executeUpdate() == 1;
            }
        });
    }

    private boolean renew(String id) {
        return database.run("renew restore " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE restores SET expires_at = ? WHERE id = ? AND status = ?")) {
                database.bindInstant(statement, 1, clock.instant().plus(duration));
                statement.setString(2, id);
                statement.setString(3, RestoreRecord.Status.RUNNING.label());
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
    }

    /** Stops renewing; restores still running then are left to expire. */
    @Override
    public synchronized void close() {
        if (renewals != null) {
            renewals.shutdownNow();
        }
    }

    /**
     * A running restore: its record and its lease, renewed every third of the lease duration until it is
     * finished, failed or closed. Closing one that neither finished nor failed records it as failed.
     */
    public final class Running implements AutoCloseable {

        private final RestoreRecord record;
        private final ScheduledFuture<?> renewal;
        private volatile boolean ended;

        private Running(RestoreRecord record) {
            this.record = record;
            long period = Math.max(1, duration.dividedBy(3).toMillis());
            this.renewal = renewals().scheduleAtFixedRate(() -> {
                try {
                    renew(record.id());
                } catch (RuntimeException e) {
                    // A database hiccup: the next renewal may succeed before the lease runs out.
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }

        public RestoreRecord record() {
            return record;
        }

        /** The restore wrote every byte. */
        public void finished(long bytesWritten) {
            endAs(RestoreRecord.Status.FINISHED, bytesWritten, Optional.empty());
        }

        /** The restore was refused or failed, for {@code reason}. */
        public void failed(String reason) {
            endAs(RestoreRecord.Status.FAILED, 0, Optional.of(reason));
        }

        private void endAs(RestoreRecord.Status status, long bytesWritten, Optional<String> reason) {
            renewal.cancel(false);
            if (!ended) {
                ended = true;
                end(record.id(), status, clock.instant(), bytesWritten, reason);
            }
        }

        @Override
        public void close() {
            if (!ended) {
                endAs(RestoreRecord.Status.FAILED, 0, Optional.of("ended without a result"));
            }
        }
    }
}
