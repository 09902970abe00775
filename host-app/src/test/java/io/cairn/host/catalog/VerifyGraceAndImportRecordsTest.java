package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
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

/** Verify results, grace periods and imported backups, on each database the catalog can live in. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class VerifyGraceAndImportRecordsTest {

    @Parameter
    CatalogDialect kind;

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00.123456Z");

    @TempDir
    Path data;

    private CatalogDatabase database;
    private BackupCatalog catalog;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(TestCatalogs.fresh(kind, data));
        catalog = new BackupCatalog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private BackupRecord stored(String id, Instant at) {
        BackupRecord creating = BackupRecord.creating(new BackupId(id), "lab", DB1, BackupKind.FULL, Optional.empty(),
                Map.of(), "full backup: first", at);
        catalog.insert(creating);
        BackupRecord done = creating.withSnapshot(new SourceSnapshot("backup." + id + ".snap.1", "7", 1 << 20, at,
                HoldState.HELD)).available(BackupKind.FULL,
                ServiceMetadata.of("base", "db1.backup." + id), 1 << 20, 1 << 20, 1 << 20, at.plusSeconds(5));
        assertTrue(catalog.update(done, BackupStatus.CREATING));
        return done;
    }

    @Test
    void verifiesAreKeptWithTheirDamageAndTheLastFullOneIsFound() {
        BackupRecord backup = stored("aaaa0001", T0);
        VerifyLog log = new VerifyLog(database);
        VerifyResult intact = new VerifyResult(Verdict.INTACT, 1 << 20, 1 << 20, 1 << 19, true, List.of(), List.of("n"));
        log.record(VerifyRecord.of(backup.id(), intact, 100, T0.plusSeconds(60), T0.plusSeconds(61), "h/1"));
        List<DamagedRange> damage = List.of(new DamagedRange(4096, 8192, "differs from the digest recorded at backup time"),
                new DamagedRange(1 << 19, 4096, "cannot be read: Input/output error (EIO)"));
        VerifyResult corrupt = new VerifyResult(Verdict.CORRUPT, 1 << 20, 1 << 18, 1 << 18, false, damage, List.of());
        log.record(VerifyRecord.of(backup.id(), corrupt, 25, T0.plusSeconds(120), T0.plusSeconds(121), "h/2"));

        VerifyRecord latest = log.latest(backup.id()).orElseThrow();
        assertEquals(Verdict.CORRUPT, latest.result());
        assertEquals(damage, latest.damaged());
        assertEquals(25.0, latest.samplePercent());
        assertFalse(latest.complete());
        assertEquals(T0.plusSeconds(121), latest.finishedAt());
        assertEquals(latest, log.latestCorrupt(backup.id()).orElseThrow());
        VerifyRecord first = log.history(backup.id()).get(0);
        assertTrue(first.complete() && first.sourceCompared());
        assertEquals(List.of("n"), first.notes());
        assertEquals(1 << 19, first.readBytes());
        assertEquals(Map.of(backup.id(), T0.plusSeconds(61)), log.lastComplete("lab", DB1.locator()),
                "the last complete verify, not the newer sample");
        assertEquals(Map.of(), log.lastComplete("other", DB1.locator()));
    }

    @Test
    void anExpiringBackupComesBackWithItsStatusOrMovesOnToItsPurgeButNotBoth() {
        BackupRecord backup = stored("bbbb0002", T0);
        ExpiringBackups expiring = new ExpiringBackups(database);
        Expiry expiry = new Expiry(backup.id(), BackupStatus.AVAILABLE, T0.plusSeconds(100),
                T0.plusSeconds(100).plus(Duration.ofHours(24)), "h/1 (retention of schedule nightly)");
        assertTrue(expiring.expire(expiry));
        assertFalse(expiring.expire(expiry), "an expiring backup does not expire twice");
        assertEquals(BackupStatus.EXPIRING, catalog.find(backup.id()).orElseThrow().status());
        assertEquals(Optional.of(expiry), expiring.find(backup.id()));
        assertEquals(List.of(), expiring.due(T0.plusSeconds(100)));
        assertEquals(List.of(expiry), expiring.due(expiry.expiresAt()));

        assertEquals(Optional.of(BackupStatus.AVAILABLE), expiring.undelete(backup.id()));
        assertEquals(BackupStatus.AVAILABLE, catalog.find(backup.id()).orElseThrow().status());
        assertEquals(Optional.empty(), expiring.undelete(backup.id()), "not expiring any more");
        assertFalse(expiring.startPurge(backup.id()));

        Expiry again = new Expiry(backup.id(), BackupStatus.AVAILABLE, T0.plusSeconds(200), T0.plusSeconds(300), "h/1");
        assertTrue(expiring.expire(again));
        assertTrue(expiring.startPurge(backup.id()));
        assertEquals(BackupStatus.DELETING, catalog.find(backup.id()).orElseThrow().status());
        assertEquals(Optional.empty(), expiring.undelete(backup.id()), "a purge started is not undone");
        assertEquals(List.of(), expiring.all());
    }

    @Test
    void anExpiryOnlyMovesABackupStillInTheStatusItWasDecidedOn() {
        BackupRecord backup = stored("cccc0003", T0);
        assertTrue(catalog.update(backup.withStatus(BackupStatus.CORRUPT), BackupStatus.AVAILABLE));
        ExpiringBackups expiring = new ExpiringBackups(database);
        assertFalse(expiring.expire(new Expiry(backup.id(), BackupStatus.AVAILABLE, T0, T0.plusSeconds(1), "h/1")));
        assertEquals(List.of(), expiring.all(), "nothing recorded when the status moved on");
        assertTrue(expiring.expire(new Expiry(backup.id(), BackupStatus.CORRUPT, T0, T0.plusSeconds(1), "h/1")));
        assertEquals(Optional.of(BackupStatus.CORRUPT), expiring.undelete(backup.id()), "a corrupt backup comes back corrupt");
    }

    @Test
    void importedBackupsRememberWhoWroteThemUntilAdopted() {
        BackupRecord own = stored("dddd0004", T0);
        BackupRecord foreign = stored("eeee0005", T0.plusSeconds(1));
        ImportLog imports = new ImportLog(database);
        imports.record(new ImportedBackup(own.id(), T0.plusSeconds(10), "", Optional.empty(), List.of()));
        imports.record(new ImportedBackup(foreign.id(), T0.plusSeconds(10), "OpenStack Cinder's Ceph backup driver",
                Optional.empty(), List.of("written by the driver")));
        assertFalse(imports.find(own.id()).orElseThrow().foreign());
        assertTrue(imports.find(foreign.id()).orElseThrow().foreign());
        assertEquals(List.of("written by the driver"), imports.find(foreign.id()).orElseThrow().notes());
        assertEquals(List.of(foreign.id()), List.copyOf(imports.foreign().keySet()));
        assertFalse(imports.adopt(own.id(), T0.plusSeconds(20)), "one's own backup needs no adoption");
        assertTrue(imports.adopt(foreign.id(), T0.plusSeconds(20)));
        assertFalse(imports.adopt(foreign.id(), T0.plusSeconds(30)), "adopted once");
        ImportedBackup adopted = imports.find(foreign.id()).orElseThrow();
        assertFalse(adopted.foreign());
        assertTrue(adopted.notCairns());
        assertEquals(Optional.of(T0.plusSeconds(20)), adopted.adoptedAt());
        assertEquals(Optional.empty(), imports.find(new BackupId("ffff0006")));
    }

    @Test
    void aCatalogCopyTakesVerifiesExpiriesAndImportsAlong(@TempDir Path elsewhere) {
        BackupRecord verified = stored("aaaa0010", T0);
        BackupRecord inGrace = stored("aaaa0011", T0.plusSeconds(1));
        BackupRecord imported = stored("aaaa0012", T0.plusSeconds(2));
        new VerifyLog(database).record(VerifyRecord.of(verified.id(), new VerifyResult(Verdict.INTACT, 1, 1, 1, false,
                List.of(), List.of()), 100, T0, T0.plusSeconds(1), "h/1"));
        Expiry expiry = new Expiry(inGrace.id(), BackupStatus.AVAILABLE, T0, T0.plusSeconds(60), "h/1");
        new ExpiringBackups(database).expire(expiry);
        ImportedBackup origin = new ImportedBackup(imported.id(), T0, "another tool", Optional.empty(), List.of());
        new ImportLog(database).record(origin);

        try (CatalogDatabase copy = CatalogDatabase.open(TestCatalogs.fresh(CatalogDialect.SQLITE, elsewhere))) {
            new CatalogCopy(database, copy, java.time.Clock.systemUTC()).copy(false);
            assertEquals(Verdict.INTACT, new VerifyLog(copy).latest(verified.id()).orElseThrow().result());
            assertEquals(List.of(expiry), new ExpiringBackups(copy).all());
            assertEquals(Optional.of(origin), new ImportLog(copy).find(imported.id()));
            assertEquals(BackupStatus.EXPIRING, new BackupCatalog(copy).find(inGrace.id()).orElseThrow().status());
        }
    }
}
