package io.cairn.host.catalog;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One firing of a schedule, as {@code cairn schedules} reports its last result.
 *
 * @param id         a random id
 * @param schedule   the schedule's name
 * @param host       the process that ran it ({@code host/pid})
 * @param dueAt      when the cron expression said it should fire; empty for firings recorded by an earlier version
 * @param firedAt    when it started
 * @param finishedAt when it ended; empty while it runs (or when its process died)
 * @param status     how it ended
 * @param summary    one line: what was backed up, failed and pruned
 */
public record ScheduleRun(String id, String schedule, String host, Optional<Instant> dueAt, Instant firedAt,
        Optional<Instant> finishedAt, Status status, String summary) {

    public ScheduleRun {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(schedule, "schedule is null");
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(dueAt, "dueAt is null");
        Objects.requireNonNull(firedAt, "firedAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(summary, "summary is null");
    }

    /** How a firing ended. */
    public enum Status {
        /** Still running. */
        RUNNING,
        /** Every volume was backed up (and pruned). */
        OK,
        /** Some volumes were backed up, others failed or were busy. */
        PARTIAL,
        /** Nothing was backed up. */
        FAILED,
        /** The host stopped before the firing finished. */
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status fromLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }
}
