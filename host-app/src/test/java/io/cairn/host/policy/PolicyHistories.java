package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Builds backup histories for the policy tests. */
final class PolicyHistories {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private PolicyHistories() {
    }

    static BackupId id(String value) {
        return new BackupId(value);
    }

    /** The instant a wall clock in {@code zone} shows {@code localDateTime} (the earlier one in a repeated hour). */
    static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    static BackupEntry available(String id, Instant createdAt) {
        return BackupEntry.full(id(id), createdAt, BackupStatus.AVAILABLE);
    }

    static BackupEntry available(String id, String localDateTime, ZoneId zone) {
        return available(id, at(localDateTime, zone));
    }

    static BackupEntry incremental(String id, String parent, Instant createdAt) {
        return BackupEntry.incremental(id(id), id(parent), createdAt, BackupStatus.AVAILABLE);
    }

    /**
     * {@code count} available full backups, {@code step} apart from {@code start}, with ids
     * {@code prefix} plus a zero-padded number (so ids sort as times do).
     */
    static List<BackupEntry> series(String prefix, Instant start, Duration step, int count) {
        List<BackupEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(available(String.format("%s%06d", prefix, i), start.plus(step.multipliedBy(i))));
        }
        return entries;
    }

    /** One available backup a day at {@code time} in {@code zone}, id = the local date, from {@code first} to {@code last}. */
    static List<BackupEntry> daily(LocalDate first, LocalDate last, String time, ZoneId zone) {
        List<BackupEntry> entries = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            entries.add(available(day.toString(), day + "T" + time, zone));
        }
        return entries;
    }

    /** A chain: a full backup {@code prefix0} then {@code incrementals} incrementals, {@code step} apart. */
    static List<BackupEntry> chain(String prefix, Instant start, Duration step, int incrementals) {
        List<BackupEntry> entries = new ArrayList<>();
        entries.add(available(prefix + "0", start));
        for (int i = 1; i <= incrementals; i++) {
            entries.add(incremental(prefix + i, prefix + (i - 1), start.plus(step.multipliedBy(i))));
        }
        return entries;
    }
}
