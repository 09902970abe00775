package io.cairn.host.schedule;

import io.cairn.host.Host;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve} at work: crash recovery, then the Quartz scheduler with the schedules of
 * {@code conf/schedules/} reconciled into it, firing {@link ScheduledBackupJob}s until {@link #stop()}.
 *
 * <p>Stopping (SIGTERM): no new firing and no new backup starts; running backups get
 * {@code stop_timeout} to finish, their firings are then recorded; a backup still running after that is
 * abandoned, and the next start cleans it up.
 */
public final class ScheduleService {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);

    private final Host host;
    private final Scheduler scheduler;
    private final ScheduleFiring firing;
    private final ExecutorService workers;
    private final ScheduleReconciler.Report report;
    private final List<String> recovery;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean abandonedBackups;

    private ScheduleService(Host host, Scheduler scheduler, ScheduleFiring firing, ExecutorService workers,
            ScheduleReconciler.Report report, List<String> recovery) {
        this.host = host;
        this.scheduler = scheduler;
        this.firing = firing;
        this.workers = workers;
        this.report = report;
        this.recovery = recovery;
    }

    /**
     * Recovers from a crash, reconciles the schedules into the job store and starts firing.
     *
     * @throws SchedulerException when the job store cannot be used
     */
    public static ScheduleService start(Host host, List<Schedule> schedules) throws SchedulerException {
        List<String> recovery = host.recoverFromCrash();
        TransferLimits limits = new TransferLimits(host.settings().serve().maxParallelBackups(),
                host.settings().serve().maxParallelBackupsPerCluster());
        ExecutorService workers = Executors.newCachedThreadPool(new WorkerThreads());
        Map<String, Schedule> byName = schedules.stream().collect(Collectors.toMap(Schedule::name, Function.identity()));
        ScheduleFiring firing = new ScheduleFiring(host, byName, limits, workers, new AtomicBoolean(), host.clock());
        Scheduler scheduler = JdbcSchedulerFactory.create(host.database(), host.settings().serve());
        scheduler.setJobFactory((bundle, ignored) -> {
            if (!bundle.getJobDetail().getJobClass().equals(ScheduledBackupJob.class)) {
                throw new SchedulerException("job " + bundle.getJobDetail().getKey() + " has class "
                        + bundle.getJobDetail().getJobClass().getName() + "; this host runs only "
                        + ScheduledBackupJob.class.getName());
            }
            return new ScheduledBackupJob(firing);
        });
        ScheduleReconciler.Report report;
        try {
            report = ScheduleReconciler.reconcile(scheduler, schedules);
        } catch (ObjectAlreadyExistsException e) {
            // Hosts sharing a clustered job store start at once: another one added the job between our look and our
            // write. A second pass finds it and leaves it as it is.
            report = ScheduleReconciler.reconcile(scheduler, schedules);
        }
        LOG.info("schedules reconciled: {}", report);
        scheduler.start();
        return new ScheduleService(host, scheduler, firing, workers, report, recovery);
    }

    /** What reconciliation did at start. */
    public ScheduleReconciler.Report reconciliation() {
        return report;
    }

    /** What crash recovery did at start. */
    public List<String> recovery() {
        return recovery;
    }

    /** When the schedule fires next, as the job store has it. */
    public Optional<Instant> nextFiring(String schedule) {
        try {
            Trigger trigger = scheduler.getTrigger(ScheduleReconciler.triggerKey(schedule));
            return Optional.ofNullable(trigger).map(Trigger::getNextFireTime).map(java.util.Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops: no new firing or backup, running backups get {@code stop_timeout}. Idempotent; a second caller
     * waits for the first to finish.
     */
    public void stop() {
        if (!stopRequested.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        LOG.info("stopping: no new backups; running ones get {} to finish",
                io.cairn.api.option.DurationText.format(host.settings().serve().stopTimeout()));
        firing.stopBy(host.clock().instant().plus(host.settings().serve().stopTimeout()));
        try {
            scheduler.standby();
            // Waits for running firings, each of which waits for its backups until the deadline.
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("stopping the scheduler: {}", e.getMessage());
        }
        workers.shutdown();
        try {
            abandonedBackups = !workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonedBackups = true;
        }
        if (abandonedBackups) {
            LOG.warn("backups still running at stop_timeout were abandoned; the next start cleans them up");
        }
        stopped.countDown();
    }

    /** Whether stopping left backups running (they are cleaned up at the next start). */
    public boolean abandonedBackups() {
        return abandonedBackups;
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names backup worker threads, and makes them daemons so an abandoned transfer never holds the JVM. */
    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "cairn-backup-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
