package io.cairn.host.catalog;

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
import java.util.concurrent.ThreadFactory;

/**
 * Per-volume locks as rows in the catalog database: a lease with a holder and an expiry.
 *
 * <p>A row (rather than a lock in this process) makes the lock hold across processes and hosts that
 * share the database; the expiry frees the volume of a process that was killed. A holder renews its
 * lease every third of the lease duration while it works. Expiry is judged by the clocks of the hosts,
 * which must therefore be synchronised (as Quartz clustering requires too).
 */
public final class VolumeLeases implements AutoCloseable {

    private static final int ATTEMPTS = 3;

    private final CatalogDatabase database;
    private final Duration duration;
    private final Clock clock;
    private final ProcessIdentity process;
    private final ScheduledExecutorService renewals;

    /**
     * @param duration how long a lease lasts between renewals
     * @param process  this process, the first part of every holder it writes
     */
    public VolumeLeases(CatalogDatabase database, Duration duration, Clock clock, ProcessIdentity process) {
        this.database = database;
        this.duration = duration;
        this.clock = clock;
        this.process = process;
        this.renewals = Executors.newSingleThreadScheduledExecutor(daemon());
    }

    /**
     * Takes the lease of a volume, or takes over an expired one.
     *
     * @param purpose what the holder is doing, shown to whoever is refused ("backup 1f2e...")
     * @throws VolumeBusyException when another holder's lease has not expired
     */
    public VolumeLease acquire(String cluster, VolumeRef volume, String purpose) {
        String holder = process + "#" + UUID.randomUUID().toString().substring(0, 8);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            if (tryInsert(cluster, volume, holder, purpose, now) || tryTakeOverExpired(cluster, volume, holder, purpose, now)
                    || tryTakeOverFromDeadProcess(cluster, volume, holder, purpose, now)) {
                return new VolumeLease(this, cluster, volume, holder, duration.dividedBy(3));
            }
            Optional<String> current = describeHolder(cluster, volume);
            if (current.isPresent()) {
                throw new VolumeBusyException("volume " + volume + " on cluster " + cluster + " is busy: " + current.get());
            }
            // The holder released between our insert and our look: try again.
        }
        throw new VolumeBusyException("volume " + volume + " on cluster " + cluster
                + " is busy: its lock changed hands " + ATTEMPTS + " times while this command tried to take it");
    }

    /** The holder of a volume's lease, if it is held and not expired. */
    public Optional<String> describeHolder(String cluster, VolumeRef volume) {
        return database.run("read the lock of volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT holder, purpose, acquired_at, expires_at"
                    + " FROM volume_leases WHERE cluster = ? AND volume = ?")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    Instant expires = database.readInstant(row, "expires_at");
                    if (expires.isBefore(clock.instant())) {
                        return Optional.empty();
                    }
                    return Optional.of(row.getString("purpose") + " by " + row.getString("holder") + " since "
                            + database.readInstant(row, "acquired_at") + " (lock valid until "
                            + expires + " unless renewed)");
                }
            }
        });
    }

    /** Every lock held now (not expired), described as {@link #describeHolder} does, with its volume. */
    public List<String> heldLocks() {
        return database.run("read the volume locks", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT cluster, volume, holder, purpose,"
                    + " expires_at FROM volume_leases ORDER BY cluster, volume");
                    ResultSet rows = statement.executeQuery()) {
                List<String> held = new ArrayList<>();
                Instant now = clock.instant();
                while (rows.next()) {
                    Instant expires = database.readInstant(rows, "expires_at");
                    if (!expires.isBefore(now)) {
                        held.add("volume " + rows.getString("volume") + " on cluster " + rows.getString("cluster") + ": "
                                + rows.getString("purpose") + " by " + rows.getString("holder") + " (until " + expires
                                + " unless renewed)");
                    }
                }
                return held;
            }
        });
    }

    private boolean tryInsert(String cluster, VolumeRef volume, String holder, String purpose, Instant now) {
        return database.run("lock volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO volume_leases"
                    + " (cluster, volume, holder, purpose, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                statement.setString(3, holder);
                statement.setString(4, purpose);
                database.bindInstant(statement, 5, now);
                database.bindInstant(statement, 6, now.plus(duration));
                statement.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (database.dialect().isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private boolean tryTakeOverExpired(String cluster, VolumeRef volume, String holder, String purpose, Instant now) {
        return takeOver("take over the expired lock of volume " + volume, "expires_at < ?", now, cluster, volume,
                holder, purpose, now);
    }

    /**
     * Gives the lease to {@code holder} if its row still meets {@code condition} (one parameter,
     * {@code conditionValue}, a time or a text): a compare-and-set, so of two processes taking over one lease only
     * one wins.
     */
    private boolean takeOver(String what, String condition, Object conditionValue, String cluster, VolumeRef volume,
            String holder, String purpose, Instant now) {
        return database.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE volume_leases SET holder = ?,"
                    + " purpose = ?, acquired_at = ?, expires_at = ? WHERE cluster = ? AND volume = ? AND " + condition)) {
                statement.setString(1, holder);
                statement.setString(2, purpose);
                database.bindInstant(statement, 3, now);
                database.bindInstant(statement, 4, now.plus(duration));
                statement.setString(5, cluster);
                statement.setString(6, volume.locator());
                if (conditionValue instanceof Instant instant) {
                    database.bindInstant(statement, 7, instant);
                } else {
                    statement.setString(7, (String) conditionValue);
                }
                return statement.executeUpdate() == 1;
            }
        });
    }

    /**
     * Takes over a lease whose holder was a process on this host that no longer runs (a killed
     * {@code cairn serve} or {@code cairn backup}): without this, a restart right after a crash would
     * wait out the whole lease before it could clean up. Holders on other hosts are left to expire.
     */
    private boolean tryTakeOverFromDeadProcess(String cluster, VolumeRef volume, String holder, String purpose,
            Instant now) {
        Optional<String> current = database.run("read the lock of volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT holder FROM volume_leases WHERE cluster = ? AND volume = ?")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                }
            }
        });
        if (current.isEmpty() || !process.isDeadLocalHolder(current.get(), VolumeLeases::isAlive)) {
            return false;
        }
        return takeOver("take over the lock of volume " + volume + " from a dead process", "holder = ?", current.get(),
                cluster, volume, holder, purpose, now);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Pushes the expiry out; false when the lease is no longer this holder's. */
    boolean renew(String cluster, VolumeRef volume, String holder) {
        return database.run("renew the lock of volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE volume_leases SET expires_at = ?"
                    + " WHERE cluster = ? AND volume = ? AND holder = ?")) {
                database.bindInstant(statement, 1, clock.instant().plus(duration));
                statement.setString(2, cluster);
                statement.setString(3, volume.locator());
                statement.setString(4, holder);
                return statement.executeUpdate() == 1;
            }
        });
    }

    void release(String cluster, VolumeRef volume, String holder) {
        database.run("unlock volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM volume_leases WHERE cluster = ? AND volume = ? AND holder = ?")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                statement.setString(3, holder);
                return statement.executeUpdate();
            }
        });
    }

    ScheduledExecutorService renewals() {
        return renewals;
    }

    /**
     * Stops renewing: the lease renewal thread ends. Leases still held then are left to expire (every
     * backup and delete releases its own before the host closes).
     */
    @Override
    public void close() {
        renewals.shutdownNow();
    }

    private static ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "volume-lease-renewal");
            thread.setDaemon(true);
            return thread;
        };
    }
}
