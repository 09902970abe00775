package io.cairn.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value types of plugin API 1.1's optional verify and inventory operations keep their invariants. */
class VerifyAndInventoryModelTest {

    private static final BackupRef REF = new BackupRef(new BackupId("b1"), new VolumeRef("volumes/db1"),
            ServiceMetadata.EMPTY);

    @Test
    void aVerifyAsksForMoreThanNothingAndAtMostAll() {
        assertTrue(VerifyRequest.full(REF).complete());
        assertFalse(new VerifyRequest(REF, false, 0.5, ProgressListener.NONE).complete());
        for (double bad : new double[] {0, -1, 100.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new VerifyRequest(REF, false, bad, ProgressListener.NONE));
        }
    }

    @Test
    void aResultIsCorruptExactlyWhenItNamesDamage() {
        DamagedRange range = new DamagedRange(4096, 8192, "differs");
        assertEquals(12287, range.end() - 1);
        assertEquals("bytes 4096-12287: differs", range.toString());
        VerifyResult corrupt = new VerifyResult(Verdict.CORRUPT, 1 << 20, 1 << 20, 1 << 19, false, List.of(range), List.of());
        assertTrue(corrupt.complete());
        assertThrows(IllegalArgumentException.class,
                () -> new VerifyResult(Verdict.CORRUPT, 10, 10, 10, false, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new VerifyResult(Verdict.INTACT, 10, 10, 10, false, List.of(range), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new VerifyResult(Verdict.INTACT, 10, 11, 10, false, List.of(), List.of()), "checked more than the size");
        assertThrows(IllegalArgumentException.class, () -> new DamagedRange(0, 0, "empty"));
        assertEquals("unverifiable", Verdict.UNVERIFIABLE.label());
    }

    @Test
    void aFoundBackupIsFullWithoutParentOrIncrementalWithOne() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        FoundBackup full = new FoundBackup(new BackupId("f1"), new VolumeRef("volumes/db1"), BackupKind.FULL,
                Optional.empty(), at, Optional.of(at), 10, Map.of(), ServiceMetadata.EMPTY, Optional.empty(), List.of(),
                FoundBackup.State.RESTORABLE, "", List.of());
        assertFalse(full.foreign());
        assertTrue(new FoundBackup(new BackupId("f2"), new VolumeRef("volumes/db1"), BackupKind.FULL, Optional.empty(), at,
                Optional.empty(), 10, Map.of(), ServiceMetadata.EMPTY, Optional.empty(), List.of(),
                FoundBackup.State.RESTORABLE, "another tool", List.of()).foreign());
        assertThrows(IllegalArgumentException.class, () -> new FoundBackup(new BackupId("i1"), new VolumeRef("v/x"),
                BackupKind.INCREMENTAL, Optional.empty(), at, Optional.empty(), 10, Map.of(), ServiceMetadata.EMPTY,
                Optional.empty(), List.of(), FoundBackup.State.RESTORABLE, "", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FoundBackup(new BackupId("f3"), new VolumeRef("v/x"),
                BackupKind.FULL, Optional.of(new BackupId("p")), at, Optional.empty(), 10, Map.of(), ServiceMetadata.EMPTY,
                Optional.empty(), List.of(), FoundBackup.State.RESTORABLE, "", List.of()));
    }

    @Test
    void aSessionOffersNeitherUnlessItSaysSo() {
        BackendSession session = new BackendSession() {
            @Override
            public io.cairn.api.operation.SnapshotOperation snapshots() {
                return null;
            }

            @Override
            public io.cairn.api.operation.TransferOperation transfers() {
                return null;
            }

            @Override
            public io.cairn.api.operation.RestoreOperation restores() {
                return null;
            }

            @Override
            public io.cairn.api.operation.DeleteOperation deletions() {
                return null;
            }

            @Override
            public String describe() {
                return "";
            }

            @Override
            public void close() {
            }
        };
        assertTrue(session.verification().isEmpty(), "a 1.0 plugin's session offers no verify");
        assertTrue(session.inventory().isEmpty(), "a 1.0 plugin's session offers no inventory");
    }
}
