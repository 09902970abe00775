package io.cairn.host.policy;

import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;

/**
 * One retention rule, in the order {@link RetentionPolicy} applies them: each rule only considers the
 * backups that no earlier rule has already decided on.
 *
 * <p>A rule keeps the newest backup of each of its most recent periods. The periods are read off the
 * wall clock of the schedule's time zone, as Proxmox Backup Server reads them off {@code strftime}:
 * an hour is the local {@code date + hour} (so the hour that a fall-back DST change repeats is one
 * period, and the hour a spring-forward change skips is none), a day the local date, a week the ISO
 * week with its week-based year ({@code %G/%V}: 2021-01-03 lies in week 53 of 2020), a month and a
 * year the local calendar's.
 */
public enum RetentionRule {
    /** The newest backups, however close together: every backup is its own period. */
    LAST("keep-last"),
    HOURLY("keep-hourly"),
    DAILY("keep-daily"),
    WEEKLY("keep-weekly"),
    MONTHLY("keep-monthly"),
    YEARLY("keep-yearly");

    private final String label;

    RetentionRule(String label) {
        this.label = label;
    }

    /** The name operators know from PBS and borg, such as {@code keep-daily}; also the reason of a kept backup. */
    public String label() {
        return label;
    }

    /**
     * The period {@code entry} falls in: two backups are in the same period exactly when their
     * periods are equal.
     */
    Object periodOf(BackupEntry entry, ZoneId timeZone) {
        if (this == LAST) {
            // Not the time: two backups taken at the same instant are still two backups to count.
            return entry.id();
        }
        ZonedDateTime local = entry.createdAt().atZone(timeZone);
        return switch (this) {
            case HOURLY -> local.toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
            case DAILY -> local.toLocalDate();
            case WEEKLY -> new IsoWeek(local.get(IsoFields.WEEK_BASED_YEAR), local.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTHLY -> YearMonth.from(local);
            case YEARLY -> Year.from(local);
            case LAST -> throw new AssertionError("handled above");
        };
    }

    /** An ISO-8601 week: its week-based year (not always the calendar year) and its number, 1 to 53. */
    record IsoWeek(int weekBasedYear, int week) {
        @Override
        public String toString() {
            return String.format("%04d-W%02d", weekBasedYear, week);
        }
    }
}
