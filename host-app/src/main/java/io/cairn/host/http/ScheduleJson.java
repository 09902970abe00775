package io.cairn.host.http;

import io.cairn.host.view.FiringView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One schedule as {@code GET /api/v1/schedules} shows it (the fields of {@code cairn schedules --json},
 * without the file and without contacting the cluster).
 *
 * @param name       the schedule's name
 * @param cluster    the cluster it backs up
 * @param cron       the cron expression
 * @param timeZone   the zone of the cron expression and of the retention periods
 * @param volumes    the {@code volumes:} entries as written
 * @param chain      the chain rules
 * @param retention  the retention rules
 * @param labels     the schedule's labels
 * @param nextFiring when the job store fires it next, or null
 * @param lastRun    its newest firing, or null when it never fired
 */
record ScheduleJson(String name, String cluster, String cron, String timeZone, List<String> volumes, String chain,
        String retention, Map<String, String> labels, Instant nextFiring, FiringView lastRun) {
}
