package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
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

/** The catalog's contract, on each database it can live in. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class BackupCatalogTest {

    @Parameter
    CatalogDialect kind;

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    @TempDir
    Path data;

    private CatalogDatabase database;
    private BackupCatalog catalog;
    private CatalogSettings settings;

    @BeforeEach
    void open() {
        settings = TestCatalogs.fresh(kind, data);
        database = CatalogDatabase.open(settings);
        catalog = new BackupCatalog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private BackupRecord full(String id, Instant at) {
        return BackupRecord.creating(new BackupId(id), "lab", DB1, BackupKind.FULL, Optional.empty(),
                Map.of("env", "prod"), "full backup: first", at);
    }

    private static SourceSnapshot snapshotOf(BackupRecord record) {
        return new SourceSnapshot("backup." + record.id() + ".snap.1", "17", 4096, record.startedAt().plusSeconds(1),
                HoldState.HELD);
    }

    private BackupRecord available(BackupRecord creating, long size) {
        catalog.recordSnapshot(creating.id(), snapshotOf(creating));
        BackupRecord done = creating.withSnapshot(snapshotOf(creating))
                .available(creating.kind(), ServiceMetadata.of("base", "db1.backup." + creating.chain()), size, size,
                        size / 2, creating.startedAt().plusSeconds(30));
        assertTrue(catalog.update(done, BackupStatus.CREATING));
        return done;
    }

    @Test
    void everyFieldRoundTrips() {
        BackupRecord base = full("aaaa0001", T0);
        catalog.insert(base);
        BackupRecord parent = available(base, 1 << 30);
        BackupRecord child = BackupRecord.creating(new BackupId("bbbb0002"), "lab", DB1, BackupKind.INCREMENTAL,
                Optional.of(parent), Map.of(), "incremental from aaaa0001", T0.plusSeconds(3600));
        catalog.insert(child);
        BackupRecord failed = child.failed("volume volumes/db1 vanished", T0.plusSeconds(3700));
        assertTrue(catalog.update(failed, BackupStatus.CREATING));

        assertEquals(parent, catalog.find(parent.id()).orElseThrow());
        BackupRecord read = catalog.find(child.id()).orElseThrow();
        assertEquals(failed, read);
        assertEquals(Optional.of(parent.id()), read.parent());
        assertEquals(parent.id(), read.chain());
        assertEquals(Optional.of("volume volumes/db1 vanished"), read.errorReason());
    }

    @Test
    void statusChangesAreCompareAndSet() {
        BackupRecord record = full("cccc0001", T0);
        catalog.insert(record);
        assertTrue(catalog.update(record.withStatus(BackupStatus.ERROR), BackupStatus.CREATING));
        assertFalse(catalog.update(record.withStatus(BackupStatus.AVAILABLE), BackupStatus.CREATING));
        assertEquals(BackupStatus.ERROR, catalog.find(record.id()).orElseThrow().status());
    }

    @Test
    void theNewestAvailableBackupIsTheParentOfTheNext() {
        BackupRecord first = full("dddd0001", T0);
        catalog.insert(first);
        available(first, 100);
        BackupRecord second = full("dddd0002", T0.plusSeconds(60));
        catalog.insert(second);
        available(second, 100);
        BackupRecord failed = full("dddd0003", T0.plusSeconds(120));
        catalog.insert(failed);
        catalog.update(failed.failed("boom", T0.plusSeconds(130)), BackupStatus.CREATING);
        BackupRecord otherVolume = BackupRecord.creating(new BackupId("dddd0004"), "lab", new VolumeRef("volumes/db2"),
                BackupKind.FULL, Optional.empty(), Map.of(), "full", T0.plusSeconds(180));
        catalog.insert(otherVolume);
        available(otherVolume, 100);

        assertEquals(second.id(), catalog.newestAvailable("lab", DB1).orElseThrow().id());
        assertEquals(Optional.empty(), catalog.newestAvailable("other-cluster", DB1));
    }

    @Test
    void listFiltersByClusterAndVolumeAndHidesDeletedUnlessAsked() {
        BackupRecord a = full("eeee0001", T0);
        catalog.insert(a);
        BackupRecord b = full("eeee0002", T0.plusSeconds(1));
        catalog.insert(b);
        catalog.update(b.withStatus(BackupStatus.DELETED), BackupStatus.CREATING);

        assertEquals(List.of(a.id()), ids(catalog.list(BackupFilter.all())));
        assertEquals(List.of(a.id(), b.id()), ids(catalog.list(new BackupFilter(Optional.of("lab"), Optional.of(DB1), true))));
        assertEquals(List.of(), ids(catalog.list(new BackupFilter(Optional.of("prod"), Optional.empty(), true))));
        assertEquals(List.of(), ids(catalog.list(new BackupFilter(Optional.empty(),
                Optional.of(new VolumeRef("volumes/db2")), true))));
    }

    @Test
    void statusesAreMatchedBeforeAPageIsCut() {
        BackupRecord deleted = full("eeee0011", T0);
        catalog.insert(deleted);
        catalog.update(deleted.withStatus(BackupStatus.DELETED), BackupStatus.CREATING);
        BackupRecord newer = full("eeee0012", T0.plusSeconds(1));
        catalog.insert(newer);

        BackupFilter onlyDeleted = new BackupFilter(Optional.empty(), Optional.empty(), true,
                java.util.Set.of(BackupStatus.DELETED));
        assertEquals(List.of(deleted.id()), ids(catalog.list(onlyDeleted, new BackupCatalog.Page(1, 0))));
        assertEquals(List.of(deleted.id()), ids(catalog.list(onlyDeleted)));
    }

    @Test
    void manyBackupsAreReadByIdInOneGo() {
        List<BackupId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 1203; i++) {
            BackupRecord record = full(String.format("bulk%04d", i), T0.plusSeconds(i));
            catalog.insert(record);
            ids.add(record.id());
        }
        ids.add(new BackupId("nosuch01"));
        Map<BackupId, BackupRecord> found = catalog.findAll(ids);
        assertEquals(1203, found.size());
        assertEquals(T0.plusSeconds(1202), found.get(new BackupId("bulk1202")).startedAt());
        assertFalse(found.containsKey(new BackupId("nosuch01")));
    }

    @Test
    void idsResolveFromAUniquePrefix() {
        catalog.insert(full("f00d0001", T0));
        catalog.insert(full("f00d0002", T0.plusSeconds(1)));
        catalog.insert(full("beef0001", T0.plusSeconds(2)));
        assertEquals("beef0001", catalog.resolve("beef").id().value());
        assertEquals("f00d0002", catalog.resolve("f00d0002").id().value());
        BackupNotFoundException ambiguous = assertThrows(BackupNotFoundException.class, () -> catalog.resolve("f00d"));
        assertTrue(ambiguous.getMessage().contains("fits 2 backups"), ambiguous.getMessage());
        BackupNotFoundException missing = assertThrows(BackupNotFoundException.class, () -> catalog.resolve("cafe0001"));
        assertEquals("no backup 'cafe0001' in the catalog", missing.getMessage());
        assertThrows(BackupNotFoundException.class, () -> catalog.resolve("f0"));
        assertThrows(BackupNotFoundException.class, () -> catalog.resolve("f00d%"));
    }

    @Test
    void theCatalogSurvivesARestart() {
        BackupRecord record = full("abcd0001", T0);
        catalog.insert(record);
        BackupRecord stored = available(record, 4096);
        database.close();

        database = CatalogDatabase.open(settings);
        catalog = new BackupCatalog(database);
        assertEquals(stored, catalog.find(record.id()).orElseThrow());
        assertEquals(List.of(record.id()), ids(catalog.list(BackupFilter.all())));
    }

    @Test
    void childrenAreTheBackupsDiffedFromIt() {
        BackupRecord base = full("0000aaaa", T0);
        catalog.insert(base);
        BackupRecord parent = available(base, 10);
        BackupRecord child = BackupRecord.creating(new BackupId("0000bbbb"), "lab", DB1, BackupKind.INCREMENTAL,
                Optional.of(parent), Map.of(), "incremental", T0.plusSeconds(5));
        catalog.insert(child);
        assertEquals(List.of(child.id()), ids(catalog.children(parent.id())));
        assertEquals(List.of(), ids(catalog.children(child.id())));
    }

    @Test
    void theSourceSnapshotIsRecordedWithItsIdentityAndItsRemovalIsNeverUndone() {
        BackupRecord record = full("5a5a0001", T0);
        catalog.insert(record);
        BackupRecord stored = available(record, 100);
        assertEquals(Optional.of(snapshotOf(record)), catalog.find(record.id()).orElseThrow().snapshot());
        assertTrue(catalog.find(record.id()).orElseThrow().holdsSnapshot());

        catalog.snapshotRemoved(record.id());
        // A record read before the removal, written back whole, does not bring the snapshot back as held.
        assertTrue(catalog.update(stored.withStatus(BackupStatus.DELETING), BackupStatus.AVAILABLE));
        BackupRecord read = catalog.find(record.id()).orElseThrow();
        assertEquals(HoldState.REMOVED, read.snapshot().orElseThrow().state());
        assertFalse(read.holdsSnapshot());
        assertEquals(Optional.empty(), catalog.ref(read).snapshot(), "a removed snapshot is not handed to a backend");
    }

    @Test
    void theJournalKeepsEveryResourceInOrderAndAddsIdentitiesInPlace() {
        BackupRecord record = full("6b6b0001", T0);
        catalog.insert(record);
        StoredResource base = StoredResource.intended("base-image", "backups/db1.backup.6b6b0001");
        StoredResource point = StoredResource.intended("base-snapshot", "backups/db1.backup.6b6b0001@backup.6b6b0001.snap.1");
        catalog.recordResource(record.id(), base, T0);
        catalog.recordResource(record.id(), point, T0.plusSeconds(1));
        catalog.recordResource(record.id(), base.withIdentity("10b2c3"), T0.plusSeconds(2));

        List<RecordedResource> recorded = catalog.resources(record.id());
        assertEquals(List.of(base.withIdentity("10b2c3"), point), recorded.stream().map(RecordedResource::resource).toList());
        assertEquals(T0, recorded.get(0).recordedAt());
        assertTrue(recorded.stream().allMatch(RecordedResource::isHeld));
        assertEquals(List.of(base.withIdentity("10b2c3"), point), catalog.ref(record).resources());

        catalog.resourcesRemoved(record.id());
        assertTrue(catalog.resources(record.id()).stream().noneMatch(RecordedResource::isHeld));
    }

    @Test
    void heldResourcesAreFoundByTheNameARestoreWouldWrite() {
        BackupRecord record = full("7c7c0001", T0);
        catalog.insert(record);
        catalog.recordResource(record.id(), new StoredResource("base-image", "backups/db1_x.backup.7c7c0001", "1"), T0);
        catalog.recordResource(record.id(), new StoredResource("base-snapshot",
                "backups/db1_x.backup.7c7c0001@backup.7c7c0001.snap.1", "4"), T0);

        assertEquals(List.of("base-image", "base-snapshot"), catalog.heldResourcesAt("backups/db1_x.backup.7c7c0001")
                .stream().map(owned -> owned.resource().kind()).toList());
        assertEquals(record.id(), catalog.heldResourcesAt("backups/db1_x.backup.7c7c0001").get(0).backup());
        // LIKE's wildcards in a name match only themselves.
        assertEquals(List.of(), catalog.heldResourcesAt("backups/db1_x.backup.7c7c000_"));
        assertEquals(List.of(), catalog.heldResourcesAt("backups/db1%"));
        assertEquals(List.of(), catalog.heldResourcesAt("backups/db1_x.backup"));

        catalog.resourcesRemoved(record.id());
        assertEquals(List.of(), catalog.heldResourcesAt("backups/db1_x.backup.7c7c0001"));
    }

    @Test
    void pagesCountFromTheNewestAndListOldestFirst() {
        for (int i = 0; i < 10; i++) {
            catalog.insert(BackupRecord.creating(new BackupId("page000" + i), i % 2 == 0 ? "lab" : "prod", DB1,
                    BackupKind.FULL, Optional.empty(), Map.of(), "full", T0.plusSeconds(i)));
        }
        catalog.update(catalog.find(new BackupId("page0009")).orElseThrow().withStatus(BackupStatus.DELETED),
                BackupStatus.CREATING);
        assertEquals(List.of("page0006", "page0007", "page0008"),
                values(catalog.list(BackupFilter.all(), new BackupCatalog.Page(3, 0))));
        assertEquals(List.of("page0003", "page0004", "page0005"),
                values(catalog.list(BackupFilter.all(), new BackupCatalog.Page(3, 3))));
        assertEquals(List.of("page0000"), values(catalog.list(BackupFilter.all(), new BackupCatalog.Page(3, 8))));
        assertEquals(List.of("page0007", "page0009"), values(catalog.list(new BackupFilter(Optional.of("prod"),
                Optional.empty(), true), new BackupCatalog.Page(2, 0))));
        assertEquals(10, catalog.count());
    }

    @Test
    void historiesOfAClusterAreReadAtOnceByVolume() {
        VolumeRef db2 = new VolumeRef("volumes/db2");
        catalog.insert(full("hist0001", T0));
        catalog.insert(BackupRecord.creating(new BackupId("hist0002"), "lab", db2, BackupKind.FULL, Optional.empty(),
                Map.of(), "full", T0.plusSeconds(1)));
        catalog.insert(full("hist0003", T0.plusSeconds(2)));
        catalog.insert(BackupRecord.creating(new BackupId("hist0004"), "prod", db2, BackupKind.FULL, Optional.empty(),
                Map.of(), "full", T0.plusSeconds(3)));
        Map<VolumeRef, List<BackupRecord>> histories = catalog.histories("lab");
        assertEquals(List.of(DB1, db2), List.copyOf(histories.keySet()));
        assertEquals(List.of("hist0001", "hist0003"), values(histories.get(DB1)));
        assertEquals(List.of("hist0002"), values(histories.get(db2)));
        assertEquals(histories.get(DB1), catalog.history("lab", DB1));
        assertEquals(BackupRecord.entries(histories.get(DB1)), catalog.entries("lab").get(DB1), "the policies' view");
        assertEquals(BackupRecord.entries(histories.get(db2)), catalog.entries("lab").get(db2));
    }

    @Test
    void aStreamedListingHandsOnWhatTheListHoldsInItsOrder() {
        List<BackupRecord> none = new java.util.ArrayList<>();
        catalog.forEach(BackupFilter.all(), none::add);
        assertEquals(List.of(), none);
        VolumeRef db2 = new VolumeRef("volumes/db2");
        BackupRecord first = full("strm0001", T0.plusSeconds(5));
        catalog.insert(first);
        BackupRecord base = available(first, 1024);
        catalog.insert(BackupRecord.creating(new BackupId("strm0002"), "lab", db2, BackupKind.FULL, Optional.empty(),
                Map.of("schedule", "nightly", "note", "caf\u00e9 \"x\""), "full", T0.plusSeconds(1)));
        BackupRecord child = BackupRecord.creating(new BackupId("strm0003"), "lab", DB1, BackupKind.INCREMENTAL,
                Optional.of(base), Map.of(), "incremental", T0.plusSeconds(9));
        catalog.insert(child);
        catalog.update(child.withStatus(BackupStatus.DELETED), BackupStatus.CREATING);
        catalog.insert(BackupRecord.creating(new BackupId("strm0004"), "prod", DB1, BackupKind.FULL, Optional.empty(),
                Map.of(), "full", T0.plusSeconds(9)));
        for (BackupFilter filter : List.of(BackupFilter.all(), new BackupFilter(Optional.empty(), Optional.empty(), false),
                new BackupFilter(Optional.of("lab"), Optional.empty(), true),
                new BackupFilter(Optional.of("lab"), Optional.of(DB1), true),
                new BackupFilter(Optional.empty(), Optional.of(db2), false))) {
            List<BackupRecord> streamed = new java.util.ArrayList<>();
            catalog.forEach(filter, streamed::add);
            assertEquals(catalog.list(filter), streamed, filter.toString());
        }
        List<BackupRecord> all = new java.util.ArrayList<>();
        catalog.forEach(new BackupFilter(Optional.empty(), Optional.empty(), true), all::add);
        assertEquals(List.of("strm0002", "strm0001", "strm0003", "strm0004"), values(all));
        assertEquals(Map.of("schedule", "nightly", "note", "caf\u00e9 \"x\""), all.get(0).labels());
    }

    @Test
    void aStreamedListingHoldsNoLockWhileItIsHandedOn() {
        try (CatalogDatabase impatient = CatalogDatabase.open(new CatalogSettings(settings.url(), settings.user(),
                settings.password(), java.time.Duration.ofSeconds(2)))) {
            catalog.insert(full("lock0001", T0));
            catalog.insert(full("lock0002", T0.plusSeconds(1)));
            BackupCatalog other = new BackupCatalog(impatient);
            List<String> seen = new java.util.ArrayList<>();
            // The reader of a listing can be slow (a pager): another process must still record its backups meanwhile.
            catalog.forEach(BackupFilter.all(), record -> {
                seen.add(record.id().value());
                other.insert(full("lock1" + seen.size() + "00", T0.plusSeconds(10 + seen.size())));
            });
            assertEquals(List.of("lock0001", "lock0002"), seen.subList(0, 2));
            assertEquals(2 + seen.size(), catalog.count());
        }
    }

    private static List<String> values(List<BackupRecord> records) {
        return records.stream().map(r -> r.id().value()).toList();
    }

    private static List<BackupId> ids(List<BackupRecord> records) {
        return records.stream().map(BackupRecord::id).toList();
    }
}
