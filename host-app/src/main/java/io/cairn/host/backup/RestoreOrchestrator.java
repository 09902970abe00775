package io.cairn.host.backup;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one available backup into a volume or file of the cluster it was taken on.
 */
public final class RestoreOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreOrchestrator.class);

    private final ClusterSessions sessions;
    private final OperationEvents events;

    /** @param events told of every restore that finishes (metrics) */
    public RestoreOrchestrator(ClusterSessions sessions, OperationEvents events) {
        this.sessions = sessions;
        this.events = events;
    }

    /**
     * @param overwrite whether an existing target holding data may be written over
     * @throws OperationFailedException when the backup is not available or the backend fails; the
     *         backend checks the target before writing, so a refused target is left untouched
     */
    public RestoreResult restore(BackupRecord backup, ConfiguredCluster cluster, VolumeRef target, boolean overwrite,
            ProgressListener progress) {
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw new OperationFailedException("backup " + backup.id() + " is " + backup.status().label()
                    + "; only available backups can be restored");
        }
        if (!backup.cluster().equals(cluster.name())) {
            throw new IllegalArgumentException("backup " + backup.id() + " belongs to cluster " + backup.cluster()
                    + ", not " + cluster.name());
        }
        LOG.info("restoring backup {} of {} into {} on cluster {}", backup.id(), backup.volume(), target, cluster.name());
        long started = System.nanoTime();
        RestoreResult result;
        try {
            result = sessions.session(cluster).restores().restore(new RestoreRequest(backup.ref(), target, overwrite,
                    progress));
        } catch (BackendException e) {
            events.restoreFinished(cluster.name(), since(started), 0, false);
            throw new OperationFailedException("restore of backup " + backup.id() + " into " + target + " on cluster "
                    + cluster.name() + " failed: " + e.getMessage(), backup, e);
        } catch (RuntimeException e) {
            events.restoreFinished(cluster.name(), since(started), 0, false);
            throw e;
        }
        events.restoreFinished(cluster.name(), since(started), result.bytesWritten(), true);
        return result;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
