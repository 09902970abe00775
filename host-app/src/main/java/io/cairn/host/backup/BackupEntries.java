package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.policy.BackupEntry;
import java.util.List;

/**
 * Catalog records as the pure policies see them: id, kind, parent, time and status, nothing else.
 */
public final class BackupEntries {

    private BackupEntries() {
    }

    /** One entry per record; the record's start time is the backup's time (its snapshot follows at once). */
    public static List<BackupEntry> of(List<BackupRecord> records) {
        return records.stream().map(BackupEntries::of).toList();
    }

    public static BackupEntry of(BackupRecord record) {
        return new BackupEntry(record.id(), record.kind(), record.parent(), record.startedAt(), record.status());
    }
}
