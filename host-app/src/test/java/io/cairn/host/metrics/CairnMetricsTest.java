package io.cairn.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.events.OperationEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the events and the catalog make of the metrics, in the Prometheus text format. */
class CairnMetricsTest {

    @TempDir
    Path root;
    private MetricsFixture fixture;

    @BeforeEach
    void open() {
        fixture = new MetricsFixture(root);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void eventsAreCountedByBoundedLabelsAndNeverByBackupId() {
        CairnMetrics metrics = fixture.metrics;
        metrics.expect(List.of("lab"), List.of("nightly"));
        String before = fixture.scrape();
        assertTrue(before.contains("cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"failed\"} 0"), before);
        assertTrue(before.contains("cairn_schedule_firings_total{result=\"failed\",schedule=\"nightly\"} 0"), before);
        assertFalse(before.contains("result=\"running\""), "a firing is counted when it ends");

        BackupRecord backup = fixture.availableBackup("aaaa0001-0000-0000-0000-000000000001", "volumes/db1",
                Instant.parse("2026-11-30T02:00:00Z"));
        metrics.backupSucceeded(backup);
        metrics.backupFailed("lab", new VolumeRef("volumes/db2"), Optional.empty(), OperationEvents.Failure.BUSY);
        metrics.backupFailed("lab", new VolumeRef("volumes/db2"), Optional.of(backup.failed("boom", Instant.now())),
                OperationEvents.Failure.FAILED);
        // A restore is counted from the catalog, whichever process ran it.
        fixture.restores.start(backup.id(), "lab", new VolumeRef("volumes/db1-restored"), Optional.empty())
                .finished(5 << 20);
        metrics.retentionDeletion("lab", true);
        metrics.retentionDeletion("lab", false);
        metrics.firingFinished(new ScheduleRun("r1", "nightly", "h/1", Optional.empty(), Instant.now(),
                Optional.of(Instant.now()), ScheduleRun.Status.PARTIAL, "1 of 2 volumes backed up"));

        String text = fixture.scrape();
        assertTrue(text.contains("cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"success\"} 1"), text);
        assertTrue(text.contains("cairn_backups_total{cluster=\"lab\",kind=\"unknown\",outcome=\"busy\"} 1"), text);
        assertTrue(text.contains("cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"failed\"} 1"), text);
        // 42 s from record to available; 3 MiB written.
        assertTrue(text.contains("cairn_backup_duration_seconds_bucket{cluster=\"lab\",kind=\"full\",le=\"32.0\"} 0"), text);
        assertTrue(text.contains("cairn_backup_duration_seconds_bucket{cluster=\"lab\",kind=\"full\",le=\"64.0\"} 1"), text);
        assertTrue(text.contains("cairn_backup_duration_seconds_sum{cluster=\"lab\",kind=\"full\"} 42.0"), text);
        assertTrue(text.contains("cairn_backup_written_bytes_sum{cluster=\"lab\",kind=\"full\"} 3145728.0"), text);
        assertTrue(text.contains("cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"} 1"), text);
        assertTrue(text.contains("cairn_restore_written_bytes_sum{cluster=\"lab\"} 5242880.0"), text);
        assertTrue(text.contains("cairn_retention_deletions_total{cluster=\"lab\",outcome=\"success\"} 1"), text);
        assertTrue(text.contains("cairn_retention_deletions_total{cluster=\"lab\",outcome=\"failed\"} 1"), text);
        assertTrue(text.contains("cairn_schedule_firings_total{result=\"partial\",schedule=\"nightly\"} 1"), text);
        assertTrue(text.contains("cairn_volume_last_backup_timestamp_seconds{cluster=\"lab\",volume=\"volumes/db1\"}"
                + " 1.796004E9"), text);
        assertTrue(text.contains("cairn_up{part=\"catalog\"} 1"), text);
        assertTrue(text.contains("cairn_up{part=\"scheduler\"} 1"), text);
        assertTrue(text.contains("cairn_plugins{state=\"loaded\"} 0"), text);
        assertFalse(text.contains("aaaa0001"), "no backup id as a label value");
    }

    @Test
    void theNewestAvailableBackupOfEachVolumeComesFromTheCatalog() {
        fixture.availableBackup("bbbb0001-0000-0000-0000-000000000001", "volumes/db1", Instant.parse("2026-11-01T00:00:00Z"));
        fixture.availableBackup("bbbb0002-0000-0000-0000-000000000002", "volumes/db1", Instant.parse("2026-11-02T00:00:00Z"));
        fixture.availableBackup("bbbb0003-0000-0000-0000-000000000003", "volumes/db2", Instant.parse("2026-11-03T00:00:00Z"));
        String text = fixture.scrape();
        assertTrue(text.contains("cairn_volume_last_backup_timestamp_seconds{cluster=\"lab\",volume=\"volumes/db1\"}"
                + " 1.7935776E9"), text);
        assertTrue(text.contains("cairn_volume_last_backup_timestamp_seconds{cluster=\"lab\",volume=\"volumes/db2\"}"
                + " 1.793664E9"), text);
        assertEquals(2, text.lines().filter(l -> l.startsWith("cairn_volume_last_backup_timestamp_seconds{")).count());
    }

    @Test
    void aCatalogThatIsGoneIsReportedNotFatal() {
        fixture.database.close();
        String text = fixture.scrape();
        assertTrue(text.contains("cairn_up{part=\"catalog\"} 0"), text);
        assertFalse(text.contains("cairn_volume_last_backup_timestamp_seconds{"), text);
    }
}
