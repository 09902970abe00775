package io.cairn.host.cli;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetRecord;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Backup sets as people read them: a table for {@code list --sets}, a block for {@code show SET}. */
final class SetText {

    private final BackupText times;

    SetText(ZoneId zone) {
        this.times = new BackupText(zone);
    }

    String table(List<BackupSetRecord> sets) {
        if (sets.isEmpty()) {
            return "no backup sets\n";
        }
        TextTable table = new TextTable("SET", "CLUSTER", "OF", "STATUS", "MEMBERS", "CREATED");
        for (BackupSetRecord set : sets) {
            table.row(set.id(), set.cluster(), set.describe(), set.status().label(), Integer.toString(set.members().size()),
                    times.time(set.startedAt()));
        }
        return table.render();
    }

    /** Every field of the set, then one line per member: volume, backup, kind, status. */
    String details(BackupSetRecord set, List<BackupRecord> records) {
        Map<String, BackupRecord> byId = records.stream()
                .collect(Collectors.toMap(r -> r.id().value(), Function.identity(), (a, b) -> a));
        StringBuilder text = new StringBuilder();
        field(text, "set", set.id());
        field(text, "cluster", set.cluster());
        field(text, "of", set.describe());
        field(text, "status", set.status().label());
        field(text, "started", times.time(set.startedAt()));
        set.finishedAt().ifPresent(finished -> field(text, "finished", times.time(finished) + " (took "
                + BackupText.duration(Duration.between(set.startedAt(), finished)) + ")"));
        set.groupSnapshot().ifPresent(snapshot -> field(text, "group snap", snapshot.name()
                + " (" + (snapshot.identity().isEmpty() ? "" : "id " + snapshot.identity() + ", ")
                + (snapshot.held() ? "held" : "removed") + ")"));
        set.error().ifPresent(error -> field(text, "error", error));
        for (int i = 0; i < set.members().size(); i++) {
            BackupSetRecord.Member member = set.members().get(i);
            BackupRecord record = byId.get(member.backupId().value());
            field(text, i == 0 ? "members" : "", member.volume().locator() + "  " + member.backupId()
                    + (record == null ? "" : "  " + record.kind().label() + "  " + record.status().label()));
        }
        return text.toString();
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(String.format(Locale.ROOT, "%-12s %s%n", name.isEmpty() ? "" : name + ":", value));
    }
}
