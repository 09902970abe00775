package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FiringSummaryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T02:30:00Z");

    private static VolumeRunResult backedUp(String volume, BackupKind kind, int pruned, String... notes) {
        BackupRecord full = BackupRecord.creating(new BackupId("aaaa0001"), "lab", new VolumeRef(volume), BackupKind.FULL,
                Optional.empty(), Map.of(), "full", T0).available(BackupKind.FULL, ServiceMetadata.EMPTY, 1, 1, 1, T0);
        BackupRecord record = kind == BackupKind.FULL ? full : BackupRecord.creating(new BackupId("aaaa0002"), "lab",
                new VolumeRef(volume), kind, Optional.of(full), Map.of(), "incremental", T0)
                .available(kind, ServiceMetadata.EMPTY, 1, 1, 1, T0);
        return new VolumeRunResult(new VolumeRef(volume), Optional.of(record), Optional.empty(), pruned, List.of(notes));
    }

    @Test
    void countsBackupsByKindAndPrunedAndNamesEveryFailure() {
        String summary = FiringSummary.of(List.of(
                backedUp("volumes/db1", BackupKind.INCREMENTAL, 2),
                backedUp("volumes/db2", BackupKind.FULL, 0, "could not prune aaaa0009: busy"),
                VolumeRunResult.failed(new VolumeRef("volumes/db3"), "volume volumes/db3 on cluster lab is busy")),
                List.of("'volumes/web-*' matches no volume now"));
        assertEquals("2 of 3 volumes backed up (1 full, 1 incremental), 2 pruned; volumes/db2: could not prune aaaa0009:"
                + " busy; volumes/db3: volume volumes/db3 on cluster lab is busy; 'volumes/web-*' matches no volume now",
                summary);
    }

    @Test
    void oneVolumeAndNoVolume() {
        assertEquals("1 of 1 volume backed up (0 full, 1 incremental), 0 pruned",
                FiringSummary.of(List.of(backedUp("volumes/db1", BackupKind.INCREMENTAL, 0)), List.of()));
        assertEquals("no volume to back up; 'volumes/web-*' matches no volume now",
                FiringSummary.of(List.of(), List.of("'volumes/web-*' matches no volume now")));
    }

    @Test
    void aFiringIsLeftToALaterOneOnlyWhenTheTriggersNextTimeHasCome() {
        assertTrue(ScheduledBackupJob.isCoalesced(T0, T0));
        assertTrue(ScheduledBackupJob.isCoalesced(T0, T0.plusSeconds(1)));
        assertFalse(ScheduledBackupJob.isCoalesced(T0.plusMillis(1), T0));
        assertFalse(ScheduledBackupJob.isCoalesced(null, T0), "a trigger that never fires again");
    }
}
