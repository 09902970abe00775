package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupSetRecord.Image;
import io.cairn.host.catalog.BackupSetRecord.Member;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Backup sets in the catalog, on each database it can live in: members, group snapshot, status, series. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class BackupSetCatalogTest {

    private static final Instant T0 = Instant.parse("2026-11-30T02:30:00.123456Z");
    private static final List<VolumeRef> VM = List.of(new VolumeRef("volumes/vm-db"), new VolumeRef("volumes/vm-log"),
            new VolumeRef("volumes/vm-os"));

    @Parameter
    CatalogDialect kind;

    @TempDir
    Path data;

    private CatalogDatabase database;
    private BackupCatalog backups;
    private BackupSetCatalog sets;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(TestCatalogs.fresh(kind, data));
        backups = new BackupCatalog(database);
        sets = new BackupSetCatalog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** A set with its member backups recorded, as the set orchestrator records them. */
    private BackupSetRecord recordSet(Optional<String> group, List<VolumeRef> volumes, Instant at) {
        String id = UUID.randomUUID().toString();
        sets.insert(BackupSetRecord.creating(id, "lab", group, volumes, at));
        for (int i = 0; i < volumes.size(); i++) {
            BackupId backup = BackupId.random();
            backups.insert(BackupRecord.creating(backup, "lab", volumes.get(i), BackupKind.FULL, Optional.empty(),
                    Map.of(), "full backup, new chain", at));
            sets.addMember(id, new Member(i, volumes.get(i), backup, Optional.empty()));
        }
        return sets.find(id).orElseThrow();
    }

    @Test
    void aSetIsRecordedWithItsMembersGroupSnapshotAndStatus() {
        BackupSetRecord set = recordSet(Optional.of("volumes/vm-42"), VM, T0);
        assertEquals("group:volumes/vm-42", set.series());
        assertEquals(BackupStatus.CREATING, set.status());
        assertEquals(VM, set.members().stream().map(Member::volume).toList());
        assertEquals(T0, set.startedAt());
        assertTrue(set.groupSnapshot().isEmpty());

        List<VolumeSnapshot> images = new ArrayList<>();
        for (Member member : set.members()) {
            images.add(new VolumeSnapshot(member.backupId(), member.volume(), ".group.1_ab_" + member.position(), 1L << 30,
                    T0, Long.toString(10 + member.position())));
        }
        sets.recordGroupSnapshot(set.id(), new GroupSnapshot(set.id(), set.group(), "volumes/vm-42@cairn." + set.id(),
                "ab_cd", T0.plusSeconds(1), images));
        BackupSetRecord taken = sets.find(set.id()).orElseThrow();
        assertTrue(taken.holdsGroupSnapshot());
        assertEquals("ab_cd", taken.groupSnapshot().orElseThrow().identity());
        assertEquals(Optional.of(new Image(".group.1_ab_2", "12")), taken.members().get(2).groupImage());
        GroupSnapshot back = taken.toGroupSnapshot().orElseThrow();
        assertEquals("volumes/vm-42@cairn." + set.id(), back.name());
        assertEquals(3, back.members().size());

        sets.groupSnapshotRemoved(set.id());
        assertFalse(sets.find(set.id()).orElseThrow().holdsGroupSnapshot());

        BackupSetRecord available = taken.withStatus(BackupStatus.AVAILABLE, Optional.of(T0.plusSeconds(60)),
                Optional.empty());
        assertTrue(sets.update(available, BackupStatus.CREATING));
        assertFalse(sets.update(available, BackupStatus.CREATING), "compare-and-set: it is no longer creating");
        BackupSetRecord read = sets.find(set.id()).orElseThrow();
        assertEquals(BackupStatus.AVAILABLE, read.status());
        assertEquals(Optional.of(T0.plusSeconds(60)), read.finishedAt());
    }

    @Test
    void setsAreFoundByPrefixBySeriesByMemberAndUnfinished() {
        BackupSetRecord first = recordSet(Optional.of("volumes/vm-42"), VM, T0);
        BackupSetRecord list = recordSet(Optional.empty(), List.of(new VolumeRef("volumes/pg-wal"),
                new VolumeRef("volumes/pg-data")), T0.plusSeconds(5));
        BackupSetRecord second = recordSet(Optional.of("volumes/vm-42"), VM, T0.plusSeconds(10));
        assertEquals("together:volumes/pg-data,volumes/pg-wal", list.series());
        assertEquals(BackupSetRecord.seriesOf(Optional.empty(), List.of(new VolumeRef("volumes/pg-data"),
                new VolumeRef("volumes/pg-wal"))), list.series(), "a list's series does not depend on its order");

        assertEquals(List.of(first.id(), second.id()), sets.series("lab", "group:volumes/vm-42").stream()
                .map(BackupSetRecord::id).toList());
        assertEquals(List.of(), sets.series("other", "group:volumes/vm-42"));
        assertEquals(second.id(), sets.resolve(second.id().substring(0, 8)).id());
        assertThrows(BackupNotFoundException.class, () -> sets.resolve("zzzz"));

        BackupId member = second.members().get(1).backupId();
        assertEquals(Optional.of(second.id()), sets.setOf(member));
        BackupId loner = BackupId.random();
        backups.insert(BackupRecord.creating(loner, "lab", new VolumeRef("volumes/alone"), BackupKind.FULL,
                Optional.empty(), Map.of(), "full", T0));
        assertEquals(Optional.empty(), sets.setOf(loner));
        assertEquals(3, sets.setsOf(List.of(member, loner, first.members().get(0).backupId(),
                list.members().get(0).backupId())).size());

        assertEquals(3, sets.unfinished().size());
        sets.update(first.withStatus(BackupStatus.ERROR, Optional.of(T0.plusSeconds(1)), Optional.of("member failed")),
                BackupStatus.CREATING);
        assertEquals(List.of(list.id(), second.id()), sets.unfinished().stream().map(BackupSetRecord::id).toList());
        assertEquals(Optional.of("member failed"), sets.find(first.id()).orElseThrow().error());

        sets.update(first.withStatus(BackupStatus.DELETED, Optional.of(T0.plusSeconds(2)), Optional.empty()),
                BackupStatus.ERROR);
        assertEquals(2, sets.list(Optional.of("lab"), false).size());
        assertEquals(3, sets.list(Optional.empty(), true).size());
    }

    @Test
    void aCatalogCopyCarriesTheSetsAndAReplaceEmptiesThem() {
        BackupSetRecord set = recordSet(Optional.of("volumes/vm-42"), VM, T0);
        sets.recordGroupSnapshot(set.id(), new GroupSnapshot(set.id(), set.group(), "volumes/vm-42@cairn." + set.id(),
                "ab_cd", T0, List.of()));
        Path other = data.resolve("copy");
        try {
            java.nio.file.Files.createDirectories(other);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (CatalogDatabase target = CatalogDatabase.open(TestCatalogs.fresh(CatalogDialect.SQLITE, other))) {
            new CatalogCopy(database, target, java.time.Clock.systemUTC()).copy(false);
            BackupSetRecord copied = new BackupSetCatalog(target).find(set.id()).orElseThrow();
            assertEquals(sets.find(set.id()).orElseThrow(), copied);
            new CatalogCopy(database, target, java.time.Clock.systemUTC()).copy(true);
            assertEquals(1, new BackupSetCatalog(target).list(Optional.empty(), true).size());
        }
    }
}
