package io.cairn.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.CatalogDialect;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Serve's metrics count the restores and verifies the catalog records - as {@code cairn restore} and
 * {@code cairn verify}, processes of their own, record them - each once, from serve's start on, on every
 * catalog database: ended before the start is not counted, a second scrape counts nothing again, a row
 * that becomes visible late (ended before the newest already seen) is still counted once, and pages of
 * rows ending at the same instant are all read.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class CatalogActivityTest {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\S+) (\\S+)$");

    @Parameter
    CatalogDialect kind;

    @TempDir
    Path root;

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private MetricsFixture fixture;
    private BackupRecord backup;

    @BeforeEach
    void open() throws java.io.IOException {
        java.nio.file.Files.createDirectories(root.resolve("data"));
        fixture = new MetricsFixture(root, start, TestCatalogs.fresh(kind, root.resolve("data")));
        fixture.metrics.expect(List.of("lab"), List.of("nightly"));
        backup = fixture.availableBackup(UUID.randomUUID().toString(), "volumes/db1", start.minusSeconds(600));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void restoresThatEndedSinceServeStartedAreObservedOnceEach() {
        // Ended before serve started: not counted.
        restore(start.minusSeconds(100), start.minusSeconds(40), RestoreRecord.Status.FINISHED, 1 << 20);
        String before = fixture.scrape();
        assertEquals(0.0, sample(before, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(0.0, sample(before, "cairn_restore_written_bytes_count{cluster=\"lab\"}"));

        // Started before serve, ended after: counted; one that failed, one interrupted.
        restore(start.minusSeconds(30), start.plusSeconds(10), RestoreRecord.Status.FINISHED, 5 << 20);
        restore(start.plusSeconds(11), start.plusSeconds(13), RestoreRecord.Status.FAILED, 0);
        restore(start.plusSeconds(12), start.plusSeconds(20), RestoreRecord.Status.INTERRUPTED, 0);
        String text = fixture.scrape();
        assertEquals(1.0, sample(text, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(40.0, sample(text, "cairn_restore_duration_seconds_sum{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(1.0, sample(text, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"failed\"}"));
        assertEquals(1.0, sample(text,
                "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"interrupted\"}"));
        assertEquals(1.0, sample(text, "cairn_restore_written_bytes_count{cluster=\"lab\"}"));
        assertEquals(5242880.0, sample(text, "cairn_restore_written_bytes_sum{cluster=\"lab\"}"));

        // Scraped again: nothing counted twice. A row committed late, ending before the newest seen: counted.
        restore(start.plusSeconds(5), start.plusSeconds(15), RestoreRecord.Status.FINISHED, 3 << 20);
        String again = fixture.scrape();
        assertEquals(2.0, sample(again, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(50.0, sample(again, "cairn_restore_duration_seconds_sum{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(8388608.0, sample(again, "cairn_restore_written_bytes_sum{cluster=\"lab\"}"));
        assertEquals(1.0, sample(fixture.scrape(),
                "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"failed\"}"));

        // A running restore is not counted until it ends; through the RestoreLog as cairn restore records it.
        RestoreLog.Running running = fixture.restores.start(backup.id(), "lab", new VolumeRef("volumes/db1-x"),
                Optional.empty());
        assertEquals(2.0, sample(fixture.scrape(),
                "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
        running.finished(7 << 20);
        String after = fixture.scrape();
        assertEquals(3.0, sample(after, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
        assertEquals(15728640.0, sample(after, "cairn_restore_written_bytes_sum{cluster=\"lab\"}"));
    }

    @Test
    void verifiesAreCountedByResultAndTheNewestFullIntactOneIsKept() {
        Instant old = start.minusSeconds(7200);
        fixture.verify(backup, Verdict.INTACT, true, old);
        String before = fixture.scrape();
        assertEquals(0.0, sample(before, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
        assertEquals(old.toEpochMilli() / 1000.0,
                sample(before, "cairn_last_intact_verify_timestamp_seconds{cluster=\"lab\"}"), "read at start");

        fixture.verify(backup, Verdict.INTACT, false, start.plusSeconds(5));
        fixture.verify(backup, Verdict.CORRUPT, true, start.plusSeconds(6));
        fixture.verify(backup, Verdict.UNVERIFIABLE, true, start.plusSeconds(7));
        fixture.metrics.verifyFailed("lab");
        String text = fixture.scrape();
        assertEquals(1.0, sample(text, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
        assertEquals(1.0, sample(text, "cairn_verifies_total{cluster=\"lab\",result=\"corrupt\"}"));
        assertEquals(1.0, sample(text, "cairn_verifies_total{cluster=\"lab\",result=\"unverifiable\"}"));
        assertEquals(1.0, sample(text, "cairn_verifies_total{cluster=\"lab\",result=\"failed\"}"));
        assertEquals(old.toEpochMilli() / 1000.0,
                sample(text, "cairn_last_intact_verify_timestamp_seconds{cluster=\"lab\"}"), "a sample does not count");

        Instant full = start.plusSeconds(8);
        fixture.verify(backup, Verdict.INTACT, true, full);
        String after = fixture.scrape();
        assertEquals(2.0, sample(after, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
        assertEquals(1.0, sample(after, "cairn_verifies_total{cluster=\"lab\",result=\"corrupt\"}"));
        assertEquals(full.toEpochMilli() / 1000.0,
                sample(after, "cairn_last_intact_verify_timestamp_seconds{cluster=\"lab\"}"));
    }

    @Test
    void pagesOfRowsEndingAtTheSameInstantAreEachCountedOnce() {
        int many = CatalogActivity.PAGE * 2 + 17;
        Instant same = start.plusSeconds(3);
        for (int i = 0; i < many; i++) {
            fixture.verify(backup, Verdict.INTACT, false, same);
        }
        assertEquals(many, sample(fixture.scrape(), "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
        assertEquals(many, sample(fixture.scrape(), "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
    }

    @Test
    void corruptAndExpiringBackupsAreCountedByClusterFromTheCatalog() {
        String none = fixture.scrape();
        assertEquals(0.0, sample(none, "cairn_catalog_backups{cluster=\"lab\",status=\"corrupt\"}"));
        assertEquals(0.0, sample(none, "cairn_catalog_backups{cluster=\"lab\",status=\"expiring\"}"));
        BackupRecord second = fixture.availableBackup(UUID.randomUUID().toString(), "volumes/db2", start);
        BackupRecord third = fixture.availableBackup(UUID.randomUUID().toString(), "volumes/db3", start);
        assertTrue(fixture.catalog.update(backup.withStatus(BackupStatus.CORRUPT), BackupStatus.AVAILABLE));
        assertTrue(fixture.catalog.update(second.withStatus(BackupStatus.CORRUPT), BackupStatus.AVAILABLE));
        assertTrue(fixture.catalog.update(third.withStatus(BackupStatus.EXPIRING), BackupStatus.AVAILABLE));
        String text = fixture.scrape();
        assertEquals(2.0, sample(text, "cairn_catalog_backups{cluster=\"lab\",status=\"corrupt\"}"));
        assertEquals(1.0, sample(text, "cairn_catalog_backups{cluster=\"lab\",status=\"expiring\"}"));
        assertFalse(text.contains("status=\"available\""), "only the statuses that need an operator");
    }

    /** A restore as a process that ran it records it: started, then ended. */
    private void restore(Instant started, Instant ended, RestoreRecord.Status status, long bytes) {
        fixture.restores.insertAll(List.of(new RestoreRecord(UUID.randomUUID().toString(), backup.id(), "lab",
                new VolumeRef("volumes/db1-r"), status, "other-host/1#abcd", Optional.empty(), started,
                ended.plusSeconds(60), Optional.of(ended), bytes, Optional.empty())));
    }

    private static double sample(String metrics, String series) {
        Matcher line = SAMPLE.matcher(metrics);
        while (line.find()) {
            if (line.group(1).equals(series)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no " + series + " in\n" + metrics);
    }
}
