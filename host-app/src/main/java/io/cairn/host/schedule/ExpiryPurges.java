package io.cairn.host.schedule;

import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.backup.CrashRecovery;
import io.cairn.host.backup.GracePeriodDeletions;
import io.cairn.host.backup.GracePeriodDeletions.Purged;
import io.cairn.host.config.ConfiguredCluster;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve}'s purge of expiring backups: every minute - every half grace, for a grace under two
 * minutes, but not more often than every second - every backup whose {@code delete_grace} has passed is
 * removed for good ({@link GracePeriodDeletions#purge}), then every expiring backup set whose members are all
 * removed ({@link BackupSetOperations#purgeExpired}). With a grace of 0 it still runs every minute: each expiring
 * backup carries the end of its grace from when it was deleted, so the leftovers of an earlier, longer grace
 * (or of a process killed in a set's delete) are removed when that end has passed, as {@code cairn purge} would.
 * The first round waits for serve's crash recovery to end: both take the volumes' leases, and a purge that
 * found a volume held by recovery would leave its backup for a minute.
 */
public final class ExpiryPurges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryPurges.class);
    /** How often serve purges, at most. */
    public static final long PERIOD_SECONDS = 60;

    private final ScheduledExecutorService timer;

    private ExpiryPurges(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts purging once crash recovery has ended, and then periodically. */
    public static ExpiryPurges start(GracePeriodDeletions deletions, BackupSetOperations sets,
            Function<String, ConfiguredCluster> clusters, CrashRecovery recovery) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cairn-purge");
            thread.setDaemon(true);
            return thread;
        });
        long period = PERIOD_SECONDS * 1000;
        if (!deletions.grace().isZero()) {
            period = Math.max(1000, Math.min(period, deletions.grace().toMillis() / 2));
        }
        // One thread: the rounds run after this wait.
        timer.execute(() -> {
            try {
                recovery.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // serve is closing; the rounds are cancelled with it
            }
        });
        timer.scheduleWithFixedDelay(() -> purge(deletions, sets, clusters), 0, period, TimeUnit.MILLISECONDS);
        return new ExpiryPurges(timer);
    }

    private static void purge(GracePeriodDeletions deletions, BackupSetOperations sets,
            Function<String, ConfiguredCluster> clusters) {
        try {
            List<Purged> purged = deletions.purge(clusters, Optional.empty(), false);
            for (Purged each : purged) {
                if (each.outcome().isPresent()) {
                    LOG.info("purged backup {} of {} on cluster {}: its delete_grace has passed", each.backup().id(),
                            each.backup().volume(), each.backup().cluster());
                } else {
                    LOG.info("backup {} not purged yet: {}", each.backup().id(), each.skipped().orElse(""));
                }
            }
            // Then the sets whose members are all gone now: their group snapshots. (Failures are logged there.)
            sets.purgeExpired(clusters, Optional.empty());
        } catch (RuntimeException e) {
            // The next round tries again; a purge never stops serve.
            LOG.warn("purge of expiring backups failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
