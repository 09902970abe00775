package io.cairn.host.cli;

import io.cairn.api.model.BackupId;
import io.cairn.api.option.ByteSize;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.Expiry;
import io.cairn.host.catalog.ImportedBackup;
import io.cairn.host.catalog.VerifyRecord;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.catalog.RestoreRecord;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Backups as people read them: a table for {@code list}, a block of fields for {@code show} and after
 * a backup. Times in the local time zone; sizes rounded in binary units.
 */
final class BackupText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;
    /**
     * Sizes as shown, by size: a listing shows the same few volume sizes thousands of times, and formatting one
     * ({@code String.format}) cost more than the rest of its row.
     */
    private final Map<Long, String> shownSizes = new java.util.HashMap<>();

    BackupText(ZoneId zone) {
        this.zone = zone;
    }

    String table(List<BackupRecord> records) {
        if (records.isEmpty()) {
            return NO_BACKUPS;
        }
        TextTable table = newTable();
        for (BackupRecord r : records) {
            addRow(table, r);
        }
        return table.render();
    }

    /** What {@link #table} prints for no backups. */
    static final String NO_BACKUPS = "no backups\n";

    /** An empty table of {@link #table}'s columns, for {@link #addRow} to fill one backup at a time. */
    static TextTable newTable() {
        return new TextTable("ID", "CLUSTER", "VOLUME", "KIND", "STATUS", "SIZE", "CREATED", "PARENT");
    }

    /** Adds a backup's row (its text only: the record itself is not kept). */
    void addRow(TextTable table, BackupRecord r) {
        table.row(r.id().value(), r.cluster(), r.volume().locator(), r.kind().label(), r.status().label(),
                shownSizes.computeIfAbsent(r.volumeSizeBytes(), ByteSize::human), time(r.startedAt()),
                r.parent().map(BackupId::value).orElse("-"));
    }

    String details(BackupRecord r) {
        return details(r, List.of(), List.of());
    }

    /** Every field, then what Cairn owns for the backup (and no longer owns), then its restores. */
    String details(BackupRecord r, List<RecordedResource> resources, List<RestoreRecord> restores) {
        StringBuilder text = new StringBuilder();
        field(text, "id", r.id().value());
        field(text, "cluster", r.cluster());
        field(text, "volume", r.volume().locator());
        field(text, "status", r.status().label());
        field(text, "kind", r.kind().label() + r.parent().map(p -> " (parent " + p + ")").orElse(""));
        field(text, "chain", r.chain().value());
        field(text, "why", r.planReason());
        field(text, "volume size", ByteSize.human(r.volumeSizeBytes()) + " (" + r.volumeSizeBytes() + " bytes)");
        field(text, "transferred", ByteSize.human(r.bytesTransferred()) + " read, " + ByteSize.human(r.bytesWritten())
                + " written");
        field(text, "started", time(r.startedAt()));
        r.finishedAt().ifPresent(finished -> field(text, "finished", time(finished) + " (took "
                + duration(Duration.between(r.startedAt(), finished)) + ")"));
        r.snapshot().ifPresent(snapshot -> field(text, "snapshot", snapshot.toString()));
        if (!r.labels().isEmpty()) {
            field(text, "labels", join(r.labels()));
        }
        if (!r.serviceMetadata().entries().isEmpty()) {
            field(text, "stored as", join(r.serviceMetadata().entries()));
        }
        r.errorReason().ifPresent(error -> field(text, "error", error));
        lines(text, "owns", resources.stream().filter(RecordedResource::isHeld).map(x -> x.resource().toString()).toList());
        lines(text, "owned", resources.stream().filter(x -> !x.isHeld()).map(x -> x.resource() + " (removed)").toList());
        lines(text, "restores", restores.stream().map(this::restore).toList());
        return text.toString();
    }

    /** What {@code show} adds: the last verify (and damage found), the grace period, the import. */
    String extras(Optional<VerifyRecord> last, Optional<VerifyRecord> damage, Optional<Expiry> expiry,
            Optional<ImportedBackup> imported) {
        StringBuilder text = new StringBuilder();
        last.ifPresent(verify -> field(text, "verified", verify(verify)));
        damage.filter(d -> last.map(l -> !l.id().equals(d.id())).orElse(true))
                .ifPresent(verify -> field(text, "damage found", verify(verify)));
        for (io.cairn.api.operation.VerifyResult.DamagedRange range : damage.map(VerifyRecord::damaged).orElse(List.of())) {
            field(text, "  damaged", "bytes " + range.offset() + "-" + (range.end() - 1) + " ("
                    + ByteSize.human(range.length()) + "): " + range.problem());
        }
        expiry.ifPresent(e -> field(text, "expiring", "until " + time(e.expiresAt()) + " (deleted " + time(e.deletedAt())
                + " by " + e.deletedBy() + "; cairn undelete brings it back as " + e.statusBefore().label() + ")"));
        imported.ifPresent(i -> field(text, "imported", "by catalog rebuild at " + time(i.importedAt())
                + (i.origin().isEmpty() ? "" : "; written by " + i.origin())
                + i.adoptedAt().map(at -> "; adopted " + time(at)).orElse("")));
        return text.toString();
    }

    private String verify(VerifyRecord verify) {
        return time(verify.finishedAt()) + ": " + verify.result().label() + ", " + (verify.complete() ? "every byte"
                : ByteSize.human(verify.checkedBytes()) + " (a " + verify.samplePercent() + "% sample)") + " checked"
                + (verify.sourceCompared() ? ", against its source snapshot too" : "")
                + (verify.notes().isEmpty() ? "" : "; " + String.join("; ", verify.notes()));
    }

    private String restore(RestoreRecord restore) {
        return time(restore.startedAt()) + " into " + restore.target() + ": " + restore.status().label()
                + (restore.status() == RestoreRecord.Status.FINISHED ? " (" + ByteSize.human(restore.bytesWritten())
                        + " written)" : "") + restore.errorReason().map(e -> " - " + e).orElse("");
    }

    /** A field of several values, one per line. */
    private static void lines(StringBuilder text, String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            field(text, i == 0 ? name : "", values.get(i));
        }
    }

    String time(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }

    private static String join(Map<String, String> map) {
        return new java.util.TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(String.format(java.util.Locale.ROOT, "%-12s %s%n", name.isEmpty() ? "" : name + ":", value));
    }
}
