package io.cairn.host.schedule;

import io.cairn.api.option.DurationText;
import io.cairn.host.config.ServeSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve} at work: the Quartz scheduler with the schedules of {@code conf/schedules/}
 * reconciled into it, firing {@link ScheduledBackupJob}s through {@link ScheduleFiring} until
 * {@link #stop()}. The host builds it (crash recovery runs beside it) and stops it first when it closes.
 *
 * <p>Stopping (SIGTERM): no new firing and no new backup starts; running backups get
 * {@code stop_timeout} to finish, their firings are then recorded; a backup still running after that is
 * abandoned, and the next start cleans it up.
 */
public final class ScheduleService {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);

    private final Scheduler scheduler;
    private final ScheduleFiring firing;
    private final List<Schedule> schedules;
    private final ServeSettings settings;
    private final Clock clock;
    private final ScheduleReconciler.Report report;
    private final Map<String, String> unavailable;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean abandonedBackups;

    private ScheduleService(Scheduler scheduler, ScheduleFiring firing, List<Schedule> schedules,
            ServeSettings settings, Clock clock, ScheduleReconciler.Report report, Map<String, String> unavailable) {
        this.scheduler = scheduler;
        this.firing = firing;
        this.schedules = List.copyOf(schedules);
        this.settings = settings;
        this.clock = clock;
        this.report = report;
        this.unavailable = unavailable;
    }

    /**
     * Reconciles the schedules into the job store and starts firing them through {@code firing}. On
     * failure the scheduler is shut down again.
     *
     * @param scheduler a scheduler not yet started, on the catalog's job store
     * @param unavailable clusters named by schedules that cannot be used (a missing plugin), with why: their
     *                  schedules are reconciled all the same, and each of their firings fails, recorded
     * @throws SchedulerException when the job store cannot be used
     */
    public static ScheduleService start(Scheduler scheduler, ScheduleFiring firing, List<Schedule> schedules,
            Map<String, String> unavailable, ServeSettings settings, Clock clock) throws SchedulerException {
        try {
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
                // Hosts sharing a clustered job store start at once: another one added the job between our look and
                // our write. A second pass finds it and leaves it as it is.
                report = ScheduleReconciler.reconcile(scheduler, schedules);
            }
            LOG.info("schedules reconciled: {}", report);
            scheduler.start();
            return new ScheduleService(scheduler, firing, schedules, settings, clock, report, Map.copyOf(unavailable));
        } catch (SchedulerException | RuntimeException e) {
            scheduler.shutdown(false);
            firing.shutDownWorkers();
            throw e;
        }
    }

    /** What reconciliation did at start. */
    public ScheduleReconciler.Report reconciliation() {
        return report;
    }

    /** Clusters whose schedules fail at every firing because their backend cannot be used, with why. */
    public Map<String, String> unavailable() {
        return unavailable;
    }

    /** The schedules this service runs, as read at start. */
    public List<Schedule> schedules() {
        return schedules;
    }

    /** Backups started on request, outside any schedule, within the same limits. */
    public OneOffBackups oneOffBackups() {
        return firing.oneOffBackups();
    }

    /**
     * Fires a schedule now, besides its cron times: a firing like any other (recorded, retention applied),
     * which waits for a running firing of the same schedule to finish first.
     *
     * @throws NoSuchElementException when this host runs no schedule of that name
     * @throws IllegalStateException when the host is stopping, or the job store cannot take the request
     */
    public void fireNow(String schedule) {
        if (schedules.stream().noneMatch(s -> s.name().equals(schedule))) {
            throw new NoSuchElementException("no schedule named " + schedule + " among those this serve runs");
        }
        if (stopRequested.get()) {
            throw new IllegalStateException("the host is stopping; no new firings start");
        }
        try {
            scheduler.triggerJob(ScheduleReconciler.jobKey(schedule));
            LOG.info("schedule {}: firing requested", schedule);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot fire schedule " + schedule + ": " + e.getMessage(), e);
        }
    }

    /**
     * What is wrong with the scheduler, if anything: stopping, not running, or its job store (in the
     * catalog database) not answering. Empty when it works.
     */
    public Optional<String> problem() {
        if (stopRequested.get()) {
            return Optional.of("stopping");
        }
        try {
            if (scheduler.isShutdown() || !scheduler.isStarted() || scheduler.isInStandbyMode()) {
                return Optional.of("the scheduler is not running");
            }
            // Reads the job store, so a catalog database that stopped answering shows here too.
            scheduler.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleReconciler.GROUP));
            return Optional.empty();
        } catch (SchedulerException | RuntimeException e) {
            return Optional.of("the scheduler's job store does not answer: " + e.getMessage());
        }
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
                DurationText.format(settings.stopTimeout()));
        firing.stopBy(clock.instant().plus(settings.stopTimeout()));
        try {
            scheduler.standby();
            // Waits for running firings, each of which waits for its backups until the deadline.
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("stopping the scheduler: {}", e.getMessage());
        }
        abandonedBackups = firing.shutDownWorkers();
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
}
