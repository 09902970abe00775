package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.TargetInUseException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupCatalog.OwnedResource;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one available backup into a volume or file of the cluster it was taken on, and records the
 * restore in the catalog.
 *
 * <ul>
 *   <li>Refused, before anything is written: a target that is something Cairn stores backups in - a
 *       resource its catalog records for a backup not deleted (the backend refuses its own storage too,
 *       whatever the catalog says), and a target in use by a client unless overwriting is asked for (the
 *       backend's {@link TargetInUseException}).</li>
 *   <li>While it runs, the restore's record is a lease on its backup: the backup is not deleted or pruned
 *       until the restore ends.</li>
 *   <li>A restore whose process dies stays recorded as running until it is noticed - at the next restore,
 *       delete, or start of {@code cairn serve} - and is then marked interrupted (its client fenced); the
 *       backend leaves the target marked incomplete until a restore into it finishes.</li>
 * </ul>
 */
public final class RestoreOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreOrchestrator.class);

    private final BackupCatalog catalog;
    private final RestoreLog restores;
    private final ClusterSessions sessions;
    private final OperationEvents events;

    /** @param events told of every restore that finishes (metrics) */
    public RestoreOrchestrator(BackupCatalog catalog, RestoreLog restores, ClusterSessions sessions,
            OperationEvents events) {
        this.catalog = catalog;
        this.restores = restores;
        this.sessions = sessions;
        this.events = events;
    }

    /**
     * @param overwrite whether an existing target holding data, or in use by a client, may be written over
     * @throws OperationFailedException when the backup is not available, the target is refused or the
     *         backend fails; the backend checks the target before writing, so a refused target is untouched
     */
    public RestoreOutcome restore(BackupRecord backup, ConfiguredCluster cluster, VolumeRef target, boolean overwrite,
            ProgressListener progress) {
        if (!backup.cluster().equals(cluster.name())) {
            throw new IllegalArgumentException("backup " + backup.id() + " belongs to cluster " + backup.cluster()
                    + ", not " + cluster.name());
        }
        requireAvailable(backup);
        refuseBackupStorage(backup, target);
        BackendSession session = sessions.session(cluster);
        List<String> notes = interruptDead(session);
        LOG.info("restoring backup {} of {} into {} on cluster {}", backup.id(), backup.volume(), target, cluster.name());
        try (RestoreLog.Running running = restores.start(backup.id(), cluster.name(), target,
                ClientFences.clientOf(session))) {
            // Recorded first, then checked: a delete marks the backup deleting first, then looks for running
            // restores, so of a restore and a delete that start together at least one sees the other.
            BackupRecord current = catalog.find(backup.id()).orElse(backup);
            if (current.status() != BackupStatus.AVAILABLE) {
                running.failed("backup " + backup.id() + " became " + current.status().label());
                requireAvailable(current);
            }
            RestoreResult result;
            long started = System.nanoTime();
            try {
                result = session.restores().restore(new RestoreRequest(catalog.ref(current), target, overwrite,
                        progress));
            } catch (RuntimeException e) {
                events.restoreFinished(cluster.name(), Duration.ofNanos(System.nanoTime() - started), 0, false);
                running.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (e instanceof BackendException backendFailure) {
                    throw new OperationFailedException(failureMessage(backup, cluster, target, backendFailure), backup,
                            e);
                }
                throw e;
            }
            events.restoreFinished(cluster.name(), Duration.ofNanos(System.nanoTime() - started), result.bytesWritten(),
                    true);
            running.finished(result.bytesWritten());
            return new RestoreOutcome(restores.find(running.record().id()).orElse(running.record()), result, notes);
        }
    }

    private static void requireAvailable(BackupRecord backup) {
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw new OperationFailedException("backup " + backup.id() + " is " + backup.status().label()
                    + "; only available backups can be restored");
        }
    }

    /**
     * The host's own refusal, before the backend's: a target that is a resource its catalog records - a
     * base image, a snapshot on it - is backup storage, and writing there would change stored backups.
     */
    private void refuseBackupStorage(BackupRecord backup, VolumeRef target) {
        List<OwnedResource> owned = new ArrayList<>(catalog.heldResourcesAt(target.locator()));
        if (target.isFile()) {
            owned.addAll(catalog.heldResourcesAt(target.filePath().toString()));
        }
        if (!owned.isEmpty()) {
            OwnedResource first = owned.get(0);
            throw new OperationFailedException("refusing to restore backup " + backup.id() + " into " + target
                    + ": it is " + first.resource().kind() + " " + first.resource().name() + " of backup "
                    + first.backup() + " on cluster " + first.cluster() + ", where Cairn stores backups; writing there"
                    + " would corrupt them. Restore into another volume. Nothing was written.");
        }
    }

    /** Marks restores whose process died as interrupted, and fences their clients. */
    private List<String> interruptDead(BackendSession session) {
        List<String> notes = new ArrayList<>();
        for (RestoreRecord dead : restores.interruptDead()) {
            notes.add(dead.describe() + " was " + dead.errorReason().orElse("interrupted"));
            dead.client().flatMap(client -> ClientFences.fence(session, client, dead.holder())).ifPresent(notes::add);
        }
        notes.forEach(note -> LOG.info("{}", note));
        return notes;
    }

    private static String failureMessage(BackupRecord backup, ConfiguredCluster cluster, VolumeRef target,
            BackendException e) {
        String what = "restore of backup " + backup.id() + " into " + target + " on cluster " + cluster.name();
        if (e instanceof TargetInUseException || e instanceof TargetRefusedException) {
            return what + " refused: " + e.getMessage();
        }
        return what + " failed: " + e.getMessage();
    }

    /**
     * A finished restore.
     *
     * @param record the restore as recorded
     * @param result what the backend did
     * @param notes  what else the operator should know (earlier restores found interrupted)
     */
    public record RestoreOutcome(RestoreRecord record, RestoreResult result, List<String> notes) {
        public RestoreOutcome {
            notes = List.copyOf(notes);
        }
    }
}
