package io.cairn.host.cli;

import io.cairn.host.catalog.ScheduleRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One schedule as {@code cairn schedules --json} prints it.
 *
 * @param name            the schedule's name
 * @param file            its file
 * @param cluster         the cluster it backs up
 * @param cron            the cron expression
 * @param timeZone        the zone of the cron expression and the retention periods
 * @param volumes         the {@code volumes:} entries as written
 * @param resolvedVolumes what they select now, or null when not resolved ({@code --offline}, or failed)
 * @param resolveError    why they could not be resolved, or null
 * @param nextFiring      the next time the cron expression gives
 * @param chain           the chain rules, as written
 * @param retention       the retention rules, as written
 * @param labels          the schedule's labels
 * @param lastRun         the last firing, or null when it never fired
 */
public record ScheduleView(String name, String file, String cluster, String cron, String timeZone, List<String> volumes,
        List<String> resolvedVolumes, String resolveError, Instant nextFiring, String chain, String retention,
        Map<String, String> labels, RunView lastRun) {

    /**
     * A firing.
     *
     * @param firedAt    when it started
     * @param finishedAt when it ended, or null
     * @param status     running, ok, partial, failed or interrupted
     * @param summary    what it did
     * @param host       the process that ran it
     */
    public record RunView(Instant firedAt, Instant finishedAt, String status, String summary, String host) {
        static RunView of(ScheduleRun run) {
            return new RunView(run.firedAt(), run.finishedAt().orElse(null), run.status().label(), run.summary(), run.host());
        }
    }
}
