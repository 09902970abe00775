package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ConfiguredCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code cairn serve} does when it starts: cleans up after a process that died mid-work, volume by
 * volume, in the background, so that no schedule waits for it.
 *
 * <p>Restores left running by a dead process are marked interrupted (their clients fenced). Then, for
 * every volume of every cluster served that the catalog knows - those with unfinished records first -
 * one task takes the volume's lease (fencing the dead holder's client when it takes the lease over, so
 * that what it held is free at once) and lets {@link StaleBackupCleaner} finish {@code creating} and
 * {@code deleting} records and remove what failed backups left.
 *
 * <p>A volume whose lease another live process holds is skipped (its work is in progress, or that process
 * cleans up itself); an unreachable cluster is reported and skipped. A scheduled backup that comes for a
 * volume first {@linkplain #claim claims} it: a task not yet started is dropped (the backup's own clean-up
 * does the same under the lease), one running is waited for. Nothing skipped stays for long: the same
 * cleaning runs before every backup, delete and prune of a volume.
 */
public final class CrashRecovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);
    private static final int PARALLEL_VOLUMES = 4;

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final RestoreLog restores;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;
    private final Map<String, VolumeTask> tasks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> done = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL_VOLUMES, runnable -> {
        Thread thread = new Thread(runnable, "cairn-recovery-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private volatile CompletableFuture<Void> all = CompletableFuture.completedFuture(null);

    public CrashRecovery(BackupCatalog catalog, VolumeLeases leases, RestoreLog restores, ClusterSessions sessions,
            StaleBackupCleaner cleaner) {
        this.catalog = catalog;
        this.leases = leases;
        this.restores = restores;
        this.sessions = sessions;
        this.cleaner = cleaner;
    }

    /**
     * Starts recovering, in the background, the volumes of the clusters served.
     *
     * @param clusters    the clusters that can be worked on, by name
     * @param unavailable clusters whose backend cannot be used (a missing plugin), with why: their volumes
     *                    wait until it can
     */
    public synchronized void start(Map<String, ConfiguredCluster> clusters, Map<String, String> unavailable) {
        List<BackupRecord> unfinished = catalog.unfinished();
        unfinished.stream().map(BackupRecord::cluster).distinct()
                .filter(c -> !clusters.containsKey(c) && !unavailable.containsKey(c))
                .forEach(c -> note("cluster " + c + " has unfinished backups but no file in conf/clusters/; left as they"
                        + " are"));
        unavailable.forEach((name, why) -> note("cluster " + name + " not recovered: " + why));
        interruptDeadRestores(clusters);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (ConfiguredCluster cluster : clusters.values()) {
            Set<VolumeRef> volumes = new TreeSet<>((a, b) -> a.locator().compareTo(b.locator()));
            List<VolumeRef> first = unfinished.stream().filter(r -> r.cluster().equals(cluster.name()))
                    .map(BackupRecord::volume).distinct().toList();
            volumes.addAll(catalog.volumesWithBackups(cluster.name()));
            List<VolumeRef> ordered = new ArrayList<>(first);
            volumes.stream().filter(v -> !first.contains(v)).forEach(ordered::add);
            for (VolumeRef volume : ordered) {
                VolumeTask task = new VolumeTask(cluster, volume);
                tasks.put(key(cluster.name(), volume), task);
                started.add(CompletableFuture.runAsync(task::runUnlessClaimed, workers).exceptionally(e -> null)
                        .thenRun(() -> task.finished.complete(null)));
            }
        }
        all = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /**
     * Called before a scheduled backup of a volume: drops the volume's recovery if it has not started
     * (the backup cleans up itself, under the lease), or waits for it to end if it runs.
     */
    public void claim(String cluster, VolumeRef volume) {
        VolumeTask task = tasks.get(key(cluster, volume));
        if (task == null || task.state.compareAndSet(TaskState.QUEUED, TaskState.CLAIMED)
                || task.state.get() == TaskState.CLAIMED) {
            return;
        }
        task.finished.join();
    }

    /** Waits until every volume's recovery has ended (for tests and {@code serve}'s first report). */
    public List<String> awaitAll() {
        all.join();
        return report();
    }

    /**
     * Waits until every volume's recovery has ended, as {@link #awaitAll} does, but can be interrupted (a closing
     * serve does not wait for it). A volume's recovery that failed has noted so in the report.
     */
    public void awaitEnd() throws InterruptedException {
        try {
            all.get();
        } catch (ExecutionException e) {
            // Each volume's task notes its own failure; there is nothing more to wait for.
        }
    }

    /** What recovery did so far, one line per thing done or skipped. */
    public List<String> report() {
        synchronized (done) {
            return List.copyOf(done);
        }
    }

    private void interruptDeadRestores(Map<String, ConfiguredCluster> clusters) {
        try {
            for (RestoreRecord dead : restores.interruptDead()) {
                note(dead.describe() + " was " + dead.errorReason().orElse("interrupted"));
                ConfiguredCluster cluster = clusters.get(dead.cluster());
                if (cluster != null && dead.client().isPresent()) {
                    try {
                        ClientFences.fence(sessions.session(cluster), dead.client().get(), dead.holder())
                                .ifPresent(this::note);
                    } catch (RuntimeException e) {
                        note("cannot fence the client of " + dead.holder() + ": " + e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            note("cannot look for interrupted restores: " + e.getMessage());
        }
    }

    private void recover(ConfiguredCluster cluster, VolumeRef volume) {
        String prefix = "cluster " + cluster.name() + ", " + volume + ": ";
        BackendSession session;
        try {
            session = sessions.session(cluster);
        } catch (RuntimeException e) {
            note(prefix + "skipped, cluster unavailable: " + e.getMessage());
            return;
        }
        try (VolumeLease lease = leases.acquire(cluster.name(), volume, "crash recovery",
                ClientFences.clientOf(session))) {
            cleaner.clean(session, lease, catalog.history(cluster.name(), volume)).done()
                    .forEach(line -> note(prefix + line));
        } catch (VolumeBusyException e) {
            note(prefix + "skipped, " + e.getMessage());
        } catch (RuntimeException e) {
            note(prefix + e.getMessage());
        }
    }

    private void note(String line) {
        LOG.info("crash recovery: {}", line);
        done.add(line);
    }

    private static String key(String cluster, VolumeRef volume) {
        return cluster + "\n" + volume.locator();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private enum TaskState { QUEUED, RUNNING, CLAIMED }

    /** One volume's recovery, which a scheduled backup may claim before it starts. */
    private final class VolumeTask {
        private final ConfiguredCluster cluster;
        private final VolumeRef volume;
        private final AtomicReference<TaskState> state = new AtomicReference<>(TaskState.QUEUED);
        private final CompletableFuture<Void> finished = new CompletableFuture<>();

        VolumeTask(ConfiguredCluster cluster, VolumeRef volume) {
            this.cluster = cluster;
            this.volume = volume;
        }

        void runUnlessClaimed() {
            if (state.compareAndSet(TaskState.QUEUED, TaskState.RUNNING)) {
                recover(cluster, volume);
            }
        }
    }
}
