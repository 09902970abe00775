package io.cairn.host.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Brings the job store in line with {@code conf/schedules/}: a job and a cron trigger per schedule,
 * both named after it in group {@link #GROUP}. New schedules are added, schedules whose cron expression
 * or time zone changed get a new trigger, jobs of deleted files are removed, and unchanged triggers are
 * left as they are - so their next fire time survives a restart, and a firing missed while the host was
 * down is still seen as missed.
 *
 * <p>Misfire instruction: {@link CronTrigger#MISFIRE_INSTRUCTION_FIRE_ONCE_NOW} - a firing missed by more
 * than the misfire threshold runs once as soon as the scheduler can, and the trigger then goes on at its
 * next regular time. Skipping it instead ({@code DO_NOTHING}) would leave a volume without its backup
 * until the next time, which for a daily schedule is a day.
 */
public final class ScheduleReconciler {

    /** The Quartz group of every schedule's job and trigger. */
    public static final String GROUP = "cairn-schedules";

    private ScheduleReconciler() {
    }

    /**
     * @return what changed, by schedule name
     * @throws SchedulerException when the job store cannot be read or written
     */
    public static Report reconcile(Scheduler scheduler, List<Schedule> schedules) throws SchedulerException {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Set<String> wanted = schedules.stream().map(Schedule::name).collect(Collectors.toSet());
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(key.getName())) {
                scheduler.deleteJob(key);
                removed.add(key.getName());
            }
        }
        for (Schedule schedule : schedules) {
            JobDetail job = job(schedule);
            Trigger existing = scheduler.getTrigger(triggerKey(schedule.name()));
            JobDetail existingJob = scheduler.getJobDetail(job.getKey());
            if (existingJob == null || existing == null) {
                if (existingJob != null) {
                    scheduler.deleteJob(job.getKey());
                }
                scheduler.scheduleJob(job, trigger(schedule));
                added.add(schedule.name());
                continue;
            }
            if (!existingJob.getJobClass().equals(ScheduledBackupJob.class)
                    || !schedule.name().equals(existingJob.getJobDataMap().getString(ScheduledBackupJob.SCHEDULE_KEY))) {
                scheduler.addJob(job, true);
            }
            if (sameTiming(existing, schedule)) {
                unchanged.add(schedule.name());
            } else {
                scheduler.rescheduleJob(existing.getKey(), trigger(schedule));
                changed.add(schedule.name());
            }
        }
        return new Report(added, changed, unchanged, removed);
    }

    static TriggerKey triggerKey(String schedule) {
        return TriggerKey.triggerKey(schedule, GROUP);
    }

    static JobKey jobKey(String schedule) {
        return JobKey.jobKey(schedule, GROUP);
    }

    private static JobDetail job(Schedule schedule) {
        return JobBuilder.newJob(ScheduledBackupJob.class)
                .withIdentity(jobKey(schedule.name()))
                .withDescription("cairn schedule " + schedule.name())
                .usingJobData(ScheduledBackupJob.SCHEDULE_KEY, schedule.name())
                .build();
    }

    static Trigger trigger(Schedule schedule) {
        return TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(schedule.name()))
                .forJob(jobKey(schedule.name()))
                .withSchedule(CronScheduleBuilder.cronSchedule(schedule.cron())
                        .inTimeZone(TimeZone.getTimeZone(schedule.timeZone()))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
    }

    private static boolean sameTiming(Trigger existing, Schedule schedule) {
        return existing instanceof CronTrigger cron
                && cron.getCronExpression().equals(schedule.cron())
                && cron.getTimeZone().getID().equals(TimeZone.getTimeZone(schedule.timeZone()).getID())
                && cron.getMisfireInstruction() == CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
    }

    /** What {@link #reconcile} did, by schedule name. */
    public record Report(List<String> added, List<String> changed, List<String> unchanged, List<String> removed) {
        public Report {
            added = List.copyOf(Objects.requireNonNull(added, "added is null"));
            changed = List.copyOf(Objects.requireNonNull(changed, "changed is null"));
            unchanged = List.copyOf(Objects.requireNonNull(unchanged, "unchanged is null"));
            removed = List.copyOf(Objects.requireNonNull(removed, "removed is null"));
        }

        @Override
        public String toString() {
            return "added " + added + ", changed " + changed + ", unchanged " + unchanged + ", removed " + removed;
        }
    }
}
