package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.HoldState;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.SourceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupTextTest {

    private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private final BackupText text = new BackupText(ZoneOffset.UTC);

    private static BackupRecord full() {
        return BackupRecord.creating(new BackupId("aaaa0001"), "lab", new VolumeRef("volumes/db1"), BackupKind.FULL,
                Optional.empty(), Map.of("env", "prod", "app", "db"), "full backup: first", T0)
                .withSnapshot(new SourceSnapshot("backup.aaaa0001.snap.1", "12", 1L << 30, T0, HoldState.HELD))
                .available(BackupKind.FULL, ServiceMetadata.of("base", "db1.backup.aaaa0001"), 1L << 30, 1L << 29,
                        3L << 27, T0.plusSeconds(75));
    }

    @Test
    void tableLinesUpColumns() {
        BackupRecord failed = BackupRecord.creating(new BackupId("bbbb0002"), "production", new VolumeRef("volumes/web"),
                BackupKind.FULL, Optional.empty(), Map.of(), "full", T0.plusSeconds(3600)).failed("boom", T0);
        assertEquals(""
                + "ID        CLUSTER     VOLUME       KIND  STATUS     SIZE     CREATED              PARENT\n"
                + "aaaa0001  lab         volumes/db1  full  available  1.0 GiB  2025-06-01 08:00:00  -\n"
                + "bbbb0002  production  volumes/web  full  error      0 B      2025-06-01 09:00:00  -\n",
                text.table(List.of(full(), failed)));
    }

    @Test
    void anEmptyListSaysSo() {
        assertEquals("no backups\n", text.table(List.of()));
    }

    @Test
    void detailsShowEveryField() {
        assertEquals(""
                + "id:          aaaa0001\n"
                + "cluster:     lab\n"
                + "volume:      volumes/db1\n"
                + "status:      available\n"
                + "kind:        full\n"
                + "chain:       aaaa0001\n"
                + "why:         full backup: first\n"
                + "volume size: 1.0 GiB (1073741824 bytes)\n"
                + "transferred: 512.0 MiB read, 384.0 MiB written\n"
                + "started:     2025-06-01 08:00:00\n"
                + "finished:    2025-06-01 08:01:15 (took 1 min 15 s)\n"
                + "snapshot:    backup.aaaa0001.snap.1 (id 12, held)\n"
                + "labels:      app=db, env=prod\n"
                + "stored as:   base=db1.backup.aaaa0001\n",
                text.details(full()).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void detailsListWhatCairnOwnsWhatItNoLongerOwnsAndTheRestores() {
        List<RecordedResource> resources = List.of(
                new RecordedResource(new StoredResource("base-image", "backups/db1.backup.aaaa0001", "10ab"),
                        HoldState.HELD, T0),
                new RecordedResource(new StoredResource("base-snapshot",
                        "backups/db1.backup.aaaa0001@backup.aaaa0001.snap.1", "4"), HoldState.HELD, T0),
                new RecordedResource(StoredResource.intended("metadata-object", "backups/backup.aaaa0001.meta"),
                        HoldState.REMOVED, T0));
        RestoreRecord restore = new RestoreRecord("5e5e", new BackupId("aaaa0001"), "lab", new VolumeRef("volumes/db1-r"),
                RestoreRecord.Status.FINISHED, "host/1#ab", Optional.empty(), T0.plusSeconds(600), T0.plusSeconds(720),
                Optional.of(T0.plusSeconds(660)), 1L << 20, Optional.empty());
        String details = text.details(full(), resources, List.of(restore)).replace(System.lineSeparator(), "\n");
        assertTrue(details.endsWith(""
                + "owns:        base-image backups/db1.backup.aaaa0001 (id 10ab)\n"
                + "             base-snapshot backups/db1.backup.aaaa0001@backup.aaaa0001.snap.1 (id 4)\n"
                + "owned:       metadata-object backups/backup.aaaa0001.meta (removed)\n"
                + "restores:    2025-06-01 08:10:00 into volumes/db1-r: finished (1.0 MiB written)\n"), details);
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0 s", "1500, 1.5 s", "59999, 60.0 s", "60000, 1 min 0 s", "3725000, 62 min 5 s"})
    void durations(long millis, String expected) {
        assertEquals(expected, BackupText.duration(Duration.ofMillis(millis)));
    }
}
