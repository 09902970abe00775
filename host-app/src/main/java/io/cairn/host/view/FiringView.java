package io.cairn.host.view;

import io.cairn.host.catalog.ScheduleRun;
import java.time.Instant;

/**
 * One firing of a schedule as the HTTP API shows it.
 *
 * @param id         the firing's id
 * @param schedule   the schedule's name
 * @param host       the process that ran it ({@code host/pid})
 * @param firedAt    when it started
 * @param finishedAt when it ended, or null while it runs (or when its process died)
 * @param status     running, ok, partial, failed or interrupted
 * @param summary    what it did
 */
public record FiringView(String id, String schedule, String host, Instant firedAt, Instant finishedAt, String status,
        String summary) {

    public static FiringView of(ScheduleRun run) {
        return new FiringView(run.id(), run.schedule(), run.host(), run.firedAt(), run.finishedAt().orElse(null),
                run.status().label(), run.summary());
    }
}
