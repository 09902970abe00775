package io.cairn.host.schedule;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.backup.BackupOrchestrator;
import io.cairn.host.backup.BackupOrder;
import io.cairn.host.backup.BackupOutcome;
import io.cairn.host.config.ConfiguredCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups {@code cairn serve} runs on request (the HTTP API's {@code POST /api/v1/backups}), in the
 * background, on the same workers and within the same {@link TransferLimits} as scheduled backups, and
 * stopped like them: none starts once the host is stopping.
 *
 * <p>The caller gets the backup's id at once. The catalog records the backup under it when it starts;
 * until then - or when it never starts (the volume was busy, the host stopped, the cluster did not
 * answer) - {@link #pending(BackupId)} says why it is not there.
 */
public final class OneOffBackups {

    private static final Logger LOG = LoggerFactory.getLogger(OneOffBackups.class);
    /** How many requests' fates are remembered; older ones are forgotten (their records stay). */
    private static final int REMEMBERED = 1000;

    private final BackupOrchestrator backups;
    private final Function<String, ConfiguredCluster> clusters;
    private final TransferLimits limits;
    private final ExecutorService workers;
    private final AtomicBoolean stopping;
    private final Map<BackupId, String> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BackupId, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    OneOffBackups(BackupOrchestrator backups, Function<String, ConfiguredCluster> clusters,
            TransferLimits limits, ExecutorService workers, AtomicBoolean stopping) {
        this.backups = backups;
        this.clusters = clusters;
        this.limits = limits;
        this.workers = workers;
        this.stopping = stopping;
    }

    /**
     * Queues a backup of the volume (incremental when possible, as {@code cairn backup} does).
     *
     * @param clusterName a configured cluster
     * @return the id the backup will be recorded under
     * @throws io.cairn.host.config.ConfigurationException when the cluster is unknown or its file invalid
     * @throws IllegalStateException when the host is stopping
     */
    public BackupId start(String clusterName, VolumeRef volume, boolean forceFull, Map<String, String> labels) {
        if (stopping.get()) {
            throw new IllegalStateException("the host is stopping; no new backups start");
        }
        ConfiguredCluster cluster = clusters.apply(clusterName);
        BackupOrder order = new BackupOrder(cluster, volume, forceFull, labels);
        BackupId id = BackupId.random();
        note(id, "queued: waiting for a free backup slot");
        LOG.info("backup {} of {} on cluster {} requested", id, volume, cluster.name());
        workers.submit(() -> run(id, order));
        return id;
    }

    /** Why a requested backup is not (yet) in the catalog: queued, or why it never started; empty otherwise. */
    public Optional<String> pending(BackupId id) {
        synchronized (pending) {
            return Optional.ofNullable(pending.get(id));
        }
    }

    private void run(BackupId id, BackupOrder order) {
        try (TransferLimits.Permit permit = limits.acquire(order.cluster().name())) {
            if (stopping.get()) {
                note(id, "not started: the host is stopping");
                return;
            }
            note(id, "starting");
            BackupOutcome outcome = backups.backup(id, order, ProgressListener.NONE, permit::close);
            forget(id);
            LOG.info("backup {} of {} on cluster {} is available ({}; {})", id, order.volume(), order.cluster().name(),
                    outcome.record().kind().label(), outcome.record().planReason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            note(id, "not started: interrupted while waiting for a free backup slot");
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // A backup that got as far as its record is in the catalog as error; one that did not is only here.
            note(id, "failed: " + reason);
            LOG.warn("backup {} of {} on cluster {} failed: {}", id, order.volume(), order.cluster().name(), reason);
        }
    }

    private void note(BackupId id, String state) {
        synchronized (pending) {
            pending.put(id, state);
        }
    }

    private void forget(BackupId id) {
        synchronized (pending) {
            pending.remove(id);
        }
    }
}
