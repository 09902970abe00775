package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.catalog.VerifyRecord;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one backup through its backend's {@link VerifyOperation}, records what was found, and moves
 * the backup's status: a verify that finds damage marks an available backup {@code corrupt} (never a
 * parent again; restored only when forced); only a <em>complete</em> verify that finds it intact makes a
 * corrupt backup {@code available} again - a sample never does, however many pass.
 *
 * <p>A verify only reads, so it takes no lock on the volume: a backup of the same volume may run beside
 * it. Status changes are compare-and-set, so a backup deleted meanwhile is not touched.
 */
public final class VerifyOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyOrchestrator.class);

    private final BackupCatalog catalog;
    private final VerifyLog log;
    private final ClusterSessions sessions;
    private final Clock clock;
    private final ProcessIdentity process;
    private final OperationEvents events;

    /** @param events told of each verify that could not check its backup ({@code serve}'s metrics count them) */
    public VerifyOrchestrator(BackupCatalog catalog, VerifyLog log, ClusterSessions sessions, Clock clock,
            ProcessIdentity process, OperationEvents events) {
        this.events = events;
        this.catalog = catalog;
        this.log = log;
        this.sessions = sessions;
        this.clock = clock;
        this.process = process;
    }

    /**
     * @param compareSource also compare with the backup's source snapshot, while it exists
     * @param samplePercent how much to check: 100 all, less a random part
     * @throws OperationFailedException when the backup holds no data to verify, or its backend cannot
     *         verify, or the backend could not check (unreachable, busy)
     */
    public VerifyOutcome verify(BackupRecord backup, ConfiguredCluster cluster, boolean compareSource,
            double samplePercent, ProgressListener progress) {
        if (!backup.status().isStored() && backup.status() != BackupStatus.EXPIRING) {
            throw new OperationFailedException("backup " + backup.id() + " is " + backup.status().label()
                    + ": only a stored backup (available, corrupt or expiring) can be verified");
        }
        BackendSession session;
        try {
            session = sessions.session(cluster);
        } catch (RuntimeException e) {
            events.verifyFailed(cluster.name());
            throw e;
        }
        VerifyOperation operation = session.verification().orElseThrow(() -> new OperationFailedException(
                "backend '" + cluster.backend().backendId() + "' of cluster " + cluster.name()
                        + " cannot verify backups (its plugin offers no verify operation)"));
        Instant started = clock.instant();
        long start = System.nanoTime();
        VerifyResult result;
        try {
            result = operation.verify(new VerifyRequest(catalog.ref(backup), compareSource, samplePercent, progress));
        } catch (RuntimeException e) {
            events.verifyFailed(cluster.name());
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new OperationFailedException("verify of backup " + backup.id() + " of " + backup.volume()
                    + " on cluster " + cluster.name() + " could not check it (nothing was recorded): " + reason,
                    backup, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        VerifyRecord recorded = VerifyRecord.of(backup.id(), result, samplePercent, started, clock.instant(),
                process.toString());
        log.record(recorded);
        BackupRecord after = backup;
        Optional<String> change = Optional.empty();
        if (result.verdict() == Verdict.CORRUPT && backup.status() == BackupStatus.AVAILABLE) {
            after = moved(backup, BackupStatus.CORRUPT);
            change = Optional.of(after.status() == BackupStatus.CORRUPT ? "marked corrupt: it is no parent of later"
                    + " backups, and restoring it needs --force" : "not marked corrupt: its status changed meanwhile");
            LOG.warn("backup {} of {} on cluster {} is corrupt: {}", backup.id(), backup.volume(), cluster.name(),
                    result.damaged());
        } else if (result.verdict() == Verdict.INTACT && backup.status() == BackupStatus.CORRUPT) {
            if (result.complete()) {
                after = moved(backup, BackupStatus.AVAILABLE);
                change = Optional.of(after.status() == BackupStatus.AVAILABLE
                        ? "a full verify found every byte intact: available again" : "its status changed meanwhile");
            } else {
                change = Optional.of("a sample found no damage, which does not clear a corrupt backup: it stays corrupt"
                        + " until a full verify finds it intact");
            }
        }
        return new VerifyOutcome(after, recorded, took, change);
    }

    private BackupRecord moved(BackupRecord backup, BackupStatus status) {
        BackupRecord changed = backup.withStatus(status);
        return catalog.update(changed, backup.status()) ? changed : catalog.find(backup.id()).orElse(backup);
    }
}
