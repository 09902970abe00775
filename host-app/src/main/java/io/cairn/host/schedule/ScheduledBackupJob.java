package io.cairn.host.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one job class Quartz stores: a firing of a schedule, named in the job data by
 * {@link #SCHEDULE_KEY} and nothing else. Everything else - the schedule's volumes and rules, the
 * cluster, the backend - is looked up when it fires, so the job store never holds a plugin class or
 * a stale copy of a schedule, and a removed or upgraded plugin cannot break the scheduler.
 *
 * <p>Two firings of one schedule never overlap ({@code @DisallowConcurrentExecution}). Catch-up
 * firings are coalesced: when the trigger's next time has already passed as this firing starts (the
 * host was down, or the previous firing ran long, across several times within the misfire threshold),
 * this firing is skipped, and the last of the overdue ones runs. So missed times run once, never once
 * each; longer outages are Quartz misfires, which fire once now ({@code FIRE_ONCE_NOW}).
 */
@DisallowConcurrentExecution
public final class ScheduledBackupJob implements Job {

    /** The job data key holding the schedule's name. */
    public static final String SCHEDULE_KEY = "schedule";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackupJob.class);

    private final ScheduleFiring firing;

    /** Made by the scheduler's job factory, with the host's firing logic. */
    ScheduledBackupJob(ScheduleFiring firing) {
        this.firing = Objects.requireNonNull(firing, "firing is null");
    }

    @Override
    public void execute(JobExecutionContext context) {
        String schedule = context.getMergedJobDataMap().getString(SCHEDULE_KEY);
        Date due = context.getScheduledFireTime();
        Date next = context.getNextFireTime();
        if (isCoalesced(next == null ? null : next.toInstant(), Instant.now())) {
            LOG.info("schedule {}: firing due {} skipped, a later one (due {}) is overdue too and runs instead",
                    schedule, due.toInstant(), next.toInstant());
            return;
        }
        firing.fire(schedule, (due == null ? new Date() : due).toInstant());
    }

    /** Whether a firing is left to a later one: the trigger's next time ({@code next}) has already come. */
    static boolean isCoalesced(Instant next, Instant now) {
        return next != null && !next.isAfter(now);
    }
}
