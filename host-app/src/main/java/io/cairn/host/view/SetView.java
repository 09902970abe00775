package io.cairn.host.view;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One backup set as {@code --json} prints it ({@code list --sets}, {@code show SET}, a set's {@code backup}).
 *
 * @param id                    the set's id
 * @param cluster               the cluster
 * @param of                    what it is a set of: {@code group volumes/vm-42} or {@code volumes a, b}
 * @param group                 the backend's group, or null for a list of volumes
 * @param status                {@code creating}, {@code available}, {@code error}, {@code deleting}, {@code deleted}
 * @param createdAt             when it started
 * @param finishedAt            when it became available, failed or was deleted; null before
 * @param error                 why it failed, or null
 * @param groupSnapshot         the group snapshot its members were read from, or null before it was taken
 * @param groupSnapshotIdentity the backend's identity of it, or null
 * @param groupSnapshotState    {@code held} while on the source, {@code removed} after (once every member's
 *                              transfer ended), or null
 * @param members               the member backups, in the set's order
 */
public record SetView(String id, String cluster, String of, String group, String status, Instant createdAt,
        Instant finishedAt, String error, String groupSnapshot, String groupSnapshotIdentity,
        String groupSnapshotState, List<MemberView> members) {

    /**
     * One member.
     *
     * @param volume     the volume
     * @param backup     its backup's id
     * @param kind       {@code full} or {@code incremental}, or null when its record is gone
     * @param status     its backup's status, or null when its record is gone
     * @param groupImage the volume's image in the group snapshot, or null before it was taken
     */
    public record MemberView(String volume, String backup, String kind, String status, String groupImage) {
    }

    /** A set, with its members' records as far as found. */
    public static SetView of(BackupSetRecord set, List<BackupRecord> records) {
        Map<String, BackupRecord> byId = records.stream()
                .collect(Collectors.toMap(r -> r.id().value(), Function.identity(), (a, b) -> a));
        List<MemberView> members = new ArrayList<>();
        for (BackupSetRecord.Member member : set.members()) {
            BackupRecord record = byId.get(member.backupId().value());
            members.add(new MemberView(member.volume().locator(), member.backupId().value(),
                    record == null ? null : record.kind().label(), record == null ? null : record.status().label(),
                    member.groupImage().map(BackupSetRecord.Image::name).orElse(null)));
        }
        return new SetView(set.id(), set.cluster(), set.describe(), set.group().orElse(null), set.status().label(),
                set.startedAt(), set.finishedAt().orElse(null), set.error().orElse(null),
                set.groupSnapshot().map(BackupSetRecord.RecordedGroupSnapshot::name).orElse(null),
                set.groupSnapshot().map(BackupSetRecord.RecordedGroupSnapshot::identity).orElse(null),
                set.groupSnapshot().map(g -> g.held() ? "held" : "removed").orElse(null), members);
    }
}
