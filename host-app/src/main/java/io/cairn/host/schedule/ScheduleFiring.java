package io.cairn.host.schedule;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.backup.BackupOrchestrator;
import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.backup.BackupSetOrchestrator;
import io.cairn.host.backup.SetOrder;
import io.cairn.host.backup.BackupOrder;
import io.cairn.host.backup.BackupOutcome;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.backup.CrashRecovery;
import io.cairn.host.backup.PruneOutcome;
import io.cairn.host.backup.RetentionPruner;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One firing of one schedule: resolve its volumes, back each up (incremental or full as its chain rules
 * say) within the {@link TransferLimits}, apply its retention to each volume right after its backup,
 * and record the firing in the catalog's schedule runs.
 *
 * <p>Volumes are backed up in parallel on the shared workers; a volume that is busy (another backup or a
 * delete holds its lease) or fails does not stop the others. Once the host is stopping, no further
 * backup starts; the firing waits for its running ones at most until the stop deadline.
 */
public final class ScheduleFiring {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFiring.class);

    private final Map<String, Schedule> schedules;
    private final Map<String, ConfiguredCluster> clusters;
    private final Map<String, String> unavailable;
    private final ClusterSessions sessions;
    private final CrashRecovery recovery;
    private final BackupOrchestrator backups;
    private final RetentionPruner pruner;
    private final ScheduledVerifies verifies;
    private final ScheduleRunLog runLog;
    private final ProcessIdentity process;
    private final TransferLimits limits;
    private final OperationEvents events;
    private final Clock clock;
    private final ExecutorService workers = Executors.newCachedThreadPool(new WorkerThreads());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final OneOffBackups oneOffs;
    private final BackupSetOrchestrator sets;
    private final BackupSetOperations setOperations;
    private volatile Instant stopDeadline = Instant.MAX;

    /**
     * @param schedules   the schedules by name
     * @param clusters    the clusters they name, checked when the host started serving
     * @param unavailable clusters they name that cannot be used (their plugin is missing), with why: the
     *                    firings of their schedules fail, recorded and logged, while the others run
     * @param recovery    the crash recovery running in the background, which a backup claims its volume from
     * @param verifies    what the schedules' verify sections ask after each backup
     * @param sets        makes the backup sets of the schedules' {@code group:} and {@code together:} entries
     * @param setOperations applies retention to sets as wholes
     * @param runLog      where each firing is recorded
     * @param process     this process, recorded with each firing
     * @param limits      how many backups run at once
     * @param anyCluster  every configured cluster by name, checked when asked for: backups started on
     *                    request ({@link #oneOffBackups()}) may name a cluster no schedule uses
     * @param events      told of every finished firing
     */
    public ScheduleFiring(Map<String, Schedule> schedules, Map<String, ConfiguredCluster> clusters,
            Map<String, String> unavailable, ClusterSessions sessions, CrashRecovery recovery,
            BackupOrchestrator backups, RetentionPruner pruner, ScheduledVerifies verifies, ScheduleRunLog runLog,
            ProcessIdentity process, BackupSetOrchestrator sets, BackupSetOperations setOperations,
            TransferLimits limits, Function<String, ConfiguredCluster> anyCluster, OperationEvents events,
            Clock clock) {
        this.sets = sets;
        this.setOperations = setOperations;
        this.schedules = Map.copyOf(schedules);
        this.clusters = Map.copyOf(clusters);
        this.unavailable = Map.copyOf(unavailable);
        this.sessions = sessions;
        this.recovery = recovery;
        this.backups = backups;
        this.pruner = pruner;
        this.verifies = verifies;
        this.runLog = runLog;
        this.process = process;
        this.limits = limits;
        this.events = events;
        this.clock = clock;
        this.oneOffs = new OneOffBackups(backups, anyCluster, limits, workers, stopping);
    }

    /** Backups started on request, on the same workers and within the same limits as the firings. */
    OneOffBackups oneOffBackups() {
        return oneOffs;
    }

    /** From now on running backups get until {@code deadline}; nothing new starts. */
    void stopBy(Instant deadline) {
        stopDeadline = deadline;
        stopping.set(true);
    }

    /**
     * Ends the backup workers once the firings have returned. The firings waited for their own backups;
     * backups started on request get until the stop deadline too (at least a second). One still running
     * then is abandoned (its daemon thread never holds the JVM).
     *
     * @return whether backups were abandoned
     */
    boolean shutDownWorkers() {
        workers.shutdown();
        try {
            long waitMillis = stopDeadline.equals(Instant.MAX) ? 1000
                    : Math.max(1000, Duration.between(clock.instant(), stopDeadline).toMillis());
            return !workers.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Runs the firing and records it.
     *
     * @param scheduleName  the schedule, by name (all Quartz stores)
     * @param scheduledTime when the cron expression said it should fire
     */
    public ScheduleRun fire(String scheduleName, Instant scheduledTime) {
        Instant started = clock.instant();
        ScheduleRun run = new ScheduleRun(UUID.randomUUID().toString(), scheduleName, process.toString(),
                Optional.of(scheduledTime), started, Optional.empty(), ScheduleRun.Status.RUNNING,
                "running (due " + scheduledTime + ")");
        Optional<ScheduleRun> ranAlready = runLog.claim(run);
        if (ranAlready.isPresent()) {
            LOG.info("schedule {}: the firing due {} runs on {} already; not here", scheduleName, scheduledTime,
                    ranAlready.get().host());
            return ranAlready.get();
        }
        int interrupted = runLog.interruptEarlier(run, clock.instant());
        if (interrupted > 0) {
            LOG.warn("schedule {}: {} earlier firing(s) were left running by a host that stopped; recorded as interrupted",
                    scheduleName, interrupted);
        }
        Schedule schedule = schedules.get(scheduleName);
        ScheduleRun finished;
        if (schedule == null) {
            // Reconciliation removes the jobs of deleted files; a job firing anyway is a stale store row.
            finished = finish(run, ScheduleRun.Status.FAILED, "no schedule named " + scheduleName
                    + " in this host's conf/schedules/");
        } else {
            finished = runSchedule(schedule, run, scheduledTime);
        }
        runLog.save(finished);
        events.firingFinished(finished);
        LOG.info("schedule {}: {} - {}", scheduleName, finished.status().label(), finished.summary());
        return finished;
    }

    private ScheduleRun runSchedule(Schedule schedule, ScheduleRun run, Instant scheduledTime) {
        LOG.info("schedule {} fires (due {}, {} late)", schedule.name(), scheduledTime,
                Duration.between(scheduledTime, run.firedAt()).toMillis() + " ms");
        ConfiguredCluster cluster = clusters.get(schedule.cluster());
        if (cluster == null) {
            String why = unavailable.getOrDefault(schedule.cluster(), "not checked when serving started");
            LOG.error("schedule {}: cluster {} cannot be used, so nothing is backed up: {}", schedule.name(),
                    schedule.cluster(), why);
            return finish(run, ScheduleRun.Status.FAILED, "cluster " + schedule.cluster() + " cannot be used: " + why
                    + "; nothing was backed up");
        }
        VolumeResolver.Resolved resolved;
        Map<SetSelector, List<VolumeRef>> setMembers = new LinkedHashMap<>();
        List<VolumeRunResult> results = new ArrayList<>();
        try {
            BackendSession session = sessions.session(cluster);
            resolved = VolumeResolver.resolve(schedule.volumes(), session.volumeListing(),
                    cluster.backend().descriptor().volumeNaming(), cluster.backend().backendId());
            for (SetSelector set : schedule.sets()) {
                try {
                    setMembers.put(set, set.group().isPresent() && session.groupSnapshots().isPresent()
                            ? session.groupSnapshots().get().members(set.group().get()) : set.volumes());
                } catch (RuntimeException e) {
                    results.add(VolumeRunResult.failed(new VolumeRef(set.toString()), message(e)));
                }
            }
        } catch (RuntimeException e) {
            return finish(run, ScheduleRun.Status.FAILED, "cluster " + schedule.cluster() + ": " + message(e));
        }
        // A volume a set of the schedule takes is backed up with its set, not on its own as well.
        java.util.Set<VolumeRef> inSets = new java.util.HashSet<>();
        setMembers.values().forEach(inSets::addAll);
        List<VolumeRef> alone = resolved.volumes().stream().filter(volume -> !inSets.contains(volume)).toList();
        List<Future<VolumeRunResult>> futures = new ArrayList<>();
        for (VolumeRef volume : alone) {
            futures.add(workers.submit(() -> backUpAndPrune(schedule, cluster, volume, scheduledTime)));
        }
        List<Future<List<VolumeRunResult>>> setFutures = new ArrayList<>();
        List<SetSelector> setsRun = new ArrayList<>(setMembers.keySet());
        for (SetSelector set : setsRun) {
            setFutures.add(workers.submit(() -> backUpSetAndPrune(schedule, cluster, set, setMembers.get(set),
                    scheduledTime)));
        }
        boolean interrupted = false;
        for (int i = 0; i < futures.size(); i++) {
            Optional<VolumeRunResult> result = await(futures.get(i));
            if (result.isEmpty()) {
                interrupted = true;
                results.add(VolumeRunResult.failed(alone.get(i), "still running when the host stopped;"
                        + " cleaned up at the next start"));
            } else {
                results.add(result.get());
            }
        }
        for (int i = 0; i < setFutures.size(); i++) {
            Optional<List<VolumeRunResult>> result = await(setFutures.get(i));
            if (result.isEmpty()) {
                interrupted = true;
                results.add(VolumeRunResult.failed(new VolumeRef(setsRun.get(i).toString()), "still running when the"
                        + " host stopped; cleaned up at the next backup of the set"));
            } else {
                results.addAll(result.get());
            }
        }
        return finish(run, status(results, interrupted), FiringSummary.of(results, resolved.notes()));
    }

    /**
     * One set of the schedule: backed up as a whole in one slot of its cluster, then the schedule's retention
     * applied to the set's series. One result per member, or one for the set when it failed.
     */
    private List<VolumeRunResult> backUpSetAndPrune(Schedule schedule, ConfiguredCluster cluster, SetSelector set,
            List<VolumeRef> members, Instant due) {
        VolumeRef named = new VolumeRef(set.toString());
        if (stopping.get()) {
            return List.of(VolumeRunResult.failed(named, "not started: the host is stopping"));
        }
        BackupSetOrchestrator.SetOutcome outcome;
        try (TransferLimits.Permit permit = limits.acquire(cluster.name())) {
            if (stopping.get()) {
                return List.of(VolumeRunResult.failed(named, "not started: the host is stopping"));
            }
            for (VolumeRef member : members) {
                recovery.claim(cluster.name(), member);
            }
            outcome = sets.backup(new SetOrder(cluster, set.group(), set.group().isPresent() ? List.of() : set.volumes(),
                    false, schedule.backupLabels(due), schedule.chain()), ProgressListener.NONE);
            LOG.info("schedule {}: backup set {} of {} is available ({} members)", schedule.name(), outcome.set().id(),
                    set, outcome.members().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(VolumeRunResult.failed(named, "interrupted while waiting for a free backup slot"));
        } catch (RuntimeException e) {
            LOG.warn("schedule {}: backup set of {} failed: {}", schedule.name(), set, message(e));
            return List.of(VolumeRunResult.failed(named, message(e)));
        }
        int pruned = 0;
        List<String> notes = new ArrayList<>(outcome.notes());
        try {
            for (BackupSetOperations.PrunedSet result : setOperations.prune(cluster, outcome.set().series(),
                    schedule.retention(), schedule.timeZone(), false)) {
                pruned += result.deleted() ? result.set().members().size() : 0;
                result.failure().ifPresent(why -> notes.add("could not prune set " + result.set().id() + ": " + why));
            }
        } catch (RuntimeException e) {
            notes.add("retention of the set skipped: " + message(e));
        }
        List<VolumeRunResult> results = new ArrayList<>();
        for (int i = 0; i < outcome.members().size(); i++) {
            BackupRecord member = outcome.members().get(i);
            results.add(new VolumeRunResult(member.volume(), Optional.of(member), Optional.empty(), i == 0 ? pruned : 0,
                    i == 0 ? notes : List.of()));
        }
        return results;
    }

    /** Waits for one volume (or set), until the stop deadline once the host is stopping; empty when given up. */
    private <T> Optional<T> await(Future<T> future) {
        while (true) {
            try {
                return Optional.of(future.get(200, TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                if (stopping.get() && clock.instant().isAfter(stopDeadline)) {
                    return Optional.empty();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a scheduled backup failed unexpectedly", e.getCause());
            }
        }
    }

    private VolumeRunResult backUpAndPrune(Schedule schedule, ConfiguredCluster cluster, VolumeRef volume, Instant due) {
        if (stopping.get()) {
            return VolumeRunResult.failed(volume, "not started: the host is stopping");
        }
        BackupRecord backup;
        try (TransferLimits.Permit permit = limits.acquire(cluster.name())) {
            if (stopping.get()) {
                return VolumeRunResult.failed(volume, "not started: the host is stopping");
            }
            recovery.claim(cluster.name(), volume);
            // The slot is freed once the backup is stored: removing older snapshots moves no data, and the
            // next volume's snapshot and transfer can start meanwhile.
            BackupOutcome outcome = backups.backup(new BackupOrder(cluster, volume, false,
                    schedule.backupLabels(due), schedule.chain()), ProgressListener.NONE, permit::close);
            backup = outcome.record();
            LOG.info("schedule {}: backup {} of {} is available ({}; {})", schedule.name(), backup.id(), volume,
                    backup.kind().label(), backup.planReason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return VolumeRunResult.failed(volume, "interrupted while waiting for a free backup slot");
        } catch (RuntimeException e) {
            LOG.warn("schedule {}: backup of {} failed: {}", schedule.name(), volume, message(e));
            return VolumeRunResult.failed(volume, message(e));
        }
        return prune(schedule, cluster, volume, backup);
    }

    private VolumeRunResult prune(Schedule schedule, ConfiguredCluster cluster, VolumeRef volume, BackupRecord backup) {
        List<String> notes = new ArrayList<>();
        int pruned = 0;
        try {
            PruneOutcome outcome = pruner.prune(cluster, volume, schedule.retention(), schedule.timeZone(), false);
            pruned = (int) outcome.backups().stream().filter(b -> b.deleted()).count();
            outcome.backups().stream().filter(b -> b.failure().isPresent()).forEach(b -> notes.add("could not prune "
                    + b.record().id() + ": " + b.failure().get()));
        } catch (RuntimeException e) {
            // The backup is stored; retention catches up after the next one.
            notes.add("retention skipped: " + message(e));
            LOG.warn("schedule {}: retention on {} skipped: {}", schedule.name(), volume, message(e));
        }
        // Verify after retention, so that nothing about to be removed is read for nothing.
        notes.addAll(verifies.afterBackup(schedule.name(), schedule.verify(), cluster, volume, backup));
        return new VolumeRunResult(volume, Optional.of(backup), Optional.empty(), pruned, notes);
    }

    private static ScheduleRun.Status status(List<VolumeRunResult> results, boolean interrupted) {
        if (interrupted) {
            return ScheduleRun.Status.INTERRUPTED;
        }
        long failed = results.stream().filter(r -> r.failure().isPresent()).count();
        if (failed == 0) {
            return ScheduleRun.Status.OK;
        }
        return failed == results.size() ? ScheduleRun.Status.FAILED : ScheduleRun.Status.PARTIAL;
    }

    private ScheduleRun finish(ScheduleRun run, ScheduleRun.Status status, String summary) {
        return new ScheduleRun(run.id(), run.schedule(), run.host(), run.dueAt(), run.firedAt(), Optional.of(clock.instant()),
                status, summary);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Names backup worker threads, and makes them daemons so an abandoned transfer never holds the JVM. */
    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "cairn-backup-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
