package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restores as records and leases, on every catalog database: a running restore is live while its
 * holder is, ends finished or failed, and one whose holder is gone - a dead process of this host at
 * once, any holder once its lease expired - is marked interrupted, exactly once.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class RestoreLogTest {

    @Parameter
    CatalogDialect kind;

    private static final BackupId BACKUP = new BackupId("ab12cd34");
    private static final VolumeRef TARGET = new VolumeRef("volumes/db1-restored");

    @TempDir
    Path data;

    private final VolumeLeasesTest.MovableClock clock = new VolumeLeasesTest.MovableClock(
            Instant.parse("2025-03-01T12:00:00Z"));
    private CatalogDatabase database;
    private RestoreLog restores;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(TestCatalogs.fresh(kind, data));
        new BackupCatalog(database).insert(BackupRecord.creating(BACKUP, "lab", new VolumeRef("volumes/db1"),
                BackupKind.FULL, Optional.empty(), Map.of(), "full", clock.instant()));
        restores = new RestoreLog(database, Duration.ofMinutes(2), clock, ProcessIdentity.current());
    }

    @AfterEach
    void close() {
        restores.close();
        database.close();
    }

    @Test
    void aRunningRestoreIsLiveUntilItEndsAndIsRecordedWithItsResult() {
        try (RestoreLog.Running running = restores.start(BACKUP, "lab", TARGET, Optional.of("fsid=10.0.0.1:0/1"))) {
            assertEquals(List.of(running.record().id()), restores.live(BACKUP).stream().map(RestoreRecord::id).toList());
            running.finished(4096);
        }
        assertEquals(List.of(), restores.live(BACKUP));
        RestoreRecord finished = restores.ofBackup(BACKUP).get(0);
        assertEquals(RestoreRecord.Status.FINISHED, finished.status());
        assertEquals(4096, finished.bytesWritten());
        assertEquals(TARGET, finished.target());
        assertEquals(Optional.of("fsid=10.0.0.1:0/1"), finished.client());
        assertEquals(Optional.of(finished.startedAt()), finished.finishedAt(), "the clock stood still meanwhile");

        clock.advance(Duration.ofSeconds(1));
        try (RestoreLog.Running refused = restores.start(BACKUP, "lab", TARGET, Optional.empty())) {
            refused.failed("target in use");
        }
        assertEquals(List.of(RestoreRecord.Status.FINISHED, RestoreRecord.Status.FAILED),
                restores.newest(10).stream().map(RestoreRecord::status).toList());
        assertEquals(Optional.of("target in use"), restores.newest(1).get(0).errorReason());
        assertEquals(List.of(), restores.interruptDead(), "ended restores are not interrupted");
    }

    @Test
    void aRestoreOfADeadProcessIsInterruptedOnceAndHoldsNothing() {
        String host = ProcessIdentity.current().host();
        database.run("plant a dead process's restore", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO restores (id, backup_id,"
                    + " cluster, target, status, holder, client, started_at, expires_at, bytes_written) VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, "dead-restore");
                statement.setString(2, BACKUP.value());
                statement.setString(3, "lab");
                statement.setString(4, TARGET.locator());
                statement.setString(5, "running");
                statement.setString(6, host + "/99999999#deadbeef");
                statement.setString(7, "fsid=10.0.0.9:0/9");
                database.bindInstant(statement, 8, clock.instant());
                database.bindInstant(statement, 9, clock.instant().plus(Duration.ofHours(1)));
                statement.setLong(10, 0);
                return statement.executeUpdate();
            }
        });
        RestoreRecord dead = restores.find("dead-restore").orElseThrow();
        assertFalse(restores.isLive(dead), "a dead process's restore counts as live");
        assertEquals(List.of(), restores.live(BACKUP));

        List<RestoreRecord> interrupted = restores.interruptDead();
        assertEquals(List.of("dead-restore"), interrupted.stream().map(RestoreRecord::id).toList());
        assertEquals(RestoreRecord.Status.INTERRUPTED, interrupted.get(0).status());
        assertTrue(interrupted.get(0).errorReason().orElseThrow().startsWith("interrupted: its process " + host
                + "/99999999#deadbeef stopped before it finished"), interrupted.get(0).errorReason().orElseThrow());
        assertEquals(Optional.of("fsid=10.0.0.9:0/9"), interrupted.get(0).client(), "the client to fence");
        assertEquals(List.of(), restores.interruptDead(), "interrupted twice");
    }

    @Test
    void aRestoreWhoseLeaseExpiredIsInterrupted() {
        RestoreLog.Running running = restores.start(BACKUP, "lab", TARGET, Optional.empty());
        // Its holder stops renewing (frozen, or on another host that died): the lease runs out.
        running.record();
        restores.close();
        restores = new RestoreLog(database, Duration.ofMinutes(2), clock, ProcessIdentity.current());
        clock.advance(Duration.ofMinutes(3));
        assertEquals(List.of(), restores.live(BACKUP));
        List<RestoreRecord> interrupted = restores.interruptDead();
        assertEquals(1, interrupted.size());
        assertTrue(interrupted.get(0).errorReason().orElseThrow().startsWith("interrupted: its lease expired at "),
                interrupted.get(0).errorReason().orElseThrow());
    }
}
