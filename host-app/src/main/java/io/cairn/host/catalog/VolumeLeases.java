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
        return acquire(cluster, volume, purpose, Optional.empty());
    }

    /**
     * Takes the lease of a volume, or takes it over from a holder that let it expire or died; in that case
     * the lease names the holder it was taken from ({@link VolumeLease#takenOver()}), with its backend
     * client, for the new holder to fence before it cleans up after it.
     *
     * @param purpose what the holder is doing, shown to whoever is refused ("backup 1f2e...")
     * @param client  the backend client this holder works through ({@code ClientFencing.clientIdentity()}),
     *                when the backend can fence clients
     * @throws VolumeBusyException when another holder's lease has not expired
     */
    public VolumeLease acquire(String cluster, VolumeRef volume, String purpose, Optional<String> client) {
        String holder = process + "#" + UUID.randomUUID().toString().substring(0, 8);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            if (tryInsert(cluster, volume, holder, purpose, client, now)) {
                return new VolumeLease(this, cluster, volume, holder, duration.dividedBy(3), Optional.empty());
            }
            Optional<PreviousHolder> current = readHolder(cluster, volume);
            if (current.isEmpty()) {
                continue; // released between our insert and our look: try again
            }
            PreviousHolder previous = current.get();
            boolean expired = previous.expiresAt().isBefore(now);
            boolean dead = !expired && process.isDeadLocalHolder(previous.holder(), VolumeLeases::isAlive);
            if (expired || dead) {
                PreviousHolder taken = previous.because(expired ? "its lease expired at " + previous.expiresAt()
                        : "its process is no longer running on this host");
                if (takeOver(cluster, volume, previous, expired, holder, purpose, client, now)) {
                    return new VolumeLease(this, cluster, volume, holder, duration.dividedBy(3), Optional.of(taken));
                }
                continue; // someone else took it over first, or it was renewed: look again
            }
            throw new VolumeBusyException("volume " + volume + " on cluster " + cluster + " is busy: "
                    + describe(previous));
        }
        throw new VolumeBusyException("volume " + volume + " on cluster " + cluster
                + " is busy: its lock changed hands " + ATTEMPTS + " times while this command tried to take it");
    }

    /**
     * A holder of a volume's lease as its row says, read before taking it over.
     *
     * @param holder     {@code host/pid#nonce}
     * @param purpose    what it was doing
     * @param client     the backend client it worked through, if recorded
     * @param acquiredAt when it took the lease
     * @param expiresAt  when the lease runs out unless renewed
     * @param why        why it was taken over (empty while it is only read)
     */
    public record PreviousHolder(String holder, String purpose, Optional<String> client, Instant acquiredAt,
            Instant expiresAt, String why) {

        PreviousHolder because(String reason) {
            return new PreviousHolder(holder, purpose, client, acquiredAt, expiresAt, reason);
        }

        @Override
        public String toString() {
            return purpose + " by " + holder + " since " + acquiredAt + (why.isEmpty() ? "" : " (" + why + ")");
        }
    }

    private static String describe(PreviousHolder holder) {
        return holder.purpose() + " by " + holder.holder() + " since " + holder.acquiredAt() + " (lock valid until "
                + holder.expiresAt() + " unless renewed)";
    }

    private Optional<PreviousHolder> readHolder(String cluster, VolumeRef volume) {
        return database.run("read the lock of volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT holder, purpose, client, acquired_at,"
                    + " expires_at FROM volume_leases WHERE cluster = ? AND volume = ?")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new PreviousHolder(row.getString("holder"), row.getString("purpose"),
                            Optional.ofNullable(row.getString("client")).filter(c -> !c.isEmpty()),
                            database.readInstant(row, "acquired_at"),
                            database.readInstant(row, "expires_at"), ""));
                }
            }
        });
    }

    /** The holder of a volume's lease, if it is held and not expired. */
    public Optional<String> describeHolder(String cluster, VolumeRef volume) {
        return readHolder(cluster, volume).filter(holder -> !holder.expiresAt().isBefore(clock.instant()))
                .map(VolumeLeases::describe);
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

    private boolean tryInsert(String cluster, VolumeRef volume, String holder, String purpose, Optional<String> client,
            Instant now) {
        return database.run("lock volume " + volume, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO volume_leases"
                    + " (cluster, volume, holder, purpose, acquired_at, expires_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, cluster);
                statement.setString(2, volume.locator());
                statement.setString(3, holder);
                statement.setString(4, purpose);
                database.bindInstant(statement, 5, now);
                database.bindInstant(statement, 6, now.plus(duration));
                statement.setString(7, client.orElse(null));
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

    /**
     * Gives the lease to {@code holder} if it is still {@code previous}'s - and, when taken over for
     * expiry, still expired: a compare-and-set, so of two processes taking over one lease only one wins,
     * and a holder that renewed in time keeps it.
     *
     * <p>A holder that was a process of this host that no longer runs (a killed {@code cairn serve} or
     * {@code cairn backup}) is taken over at once: without this, a restart right after a crash would wait
     * out the whole lease before it could clean up. Holders on other hosts are left to expire.
     */
    private boolean takeOver(String cluster, VolumeRef volume, PreviousHolder previous, boolean expired, String holder,
            String purpose, Optional<String> client, Instant now) {
        String what = expired ? "take over the expired lock of volume " + volume
                : "take over the lock of volume " + volume + " from a dead process";
        return database.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE volume_leases SET holder = ?,"
                    + " purpose = ?, acquired_at = ?, expires_at = ?, client = ? WHERE cluster = ? AND volume = ?"
                    + " AND holder = ?" + (expired ? " AND expires_at < ?" : ""))) {
                statement.setString(1, holder);
                statement.setString(2, purpose);
                database.bindInstant(statement, 3, now);
                database.bindInstant(statement, 4, now.plus(duration));
                statement.setString(5, client.orElse(null));
                statement.setString(6, cluster);
                statement.setString(7, volume.locator());
                statement.setString(8, previous.holder());
                if (expired) {
                    database.bindInstant(statement, 9, now);
                }
                return statement.executeUpdate() == 1;
            }
        });
    }

    static boolean isAlive(long pid) {
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
