package io.cairn.host.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupPlannerTest {

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");
    private static final Capabilities INCREMENTAL = new Capabilities(true, RestorePointDependency.INDEPENDENT, true, true);
    private static final Capabilities FULL_ONLY = new Capabilities(false, RestorePointDependency.INDEPENDENT, false, true);

    private static final BackupRecord PARENT = BackupRecord.creating(new BackupId("aaaa1111"), "lab", DB1, BackupKind.FULL,
            Optional.empty(), Map.of(), "full", Instant.EPOCH).available(BackupKind.FULL, ServiceMetadata.EMPTY, 10, 10, 10,
            Instant.EPOCH.plusSeconds(1));

    @Test
    void incrementalFromTheNewestAvailableBackup() {
        BackupPlan plan = BackupPlanner.plan(DB1, false, INCREMENTAL, Optional.of(PARENT));
        assertEquals(BackupKind.INCREMENTAL, plan.kind());
        assertEquals(Optional.of(PARENT), plan.parent());
        assertEquals("incremental from aaaa1111, the newest available backup of volumes/db1 (chain aaaa1111)", plan.reason());
    }

    @Test
    void fullWhenThereIsNothingToDiffFrom() {
        BackupPlan plan = BackupPlanner.plan(DB1, false, INCREMENTAL, Optional.empty());
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals("full backup: no available backup of volumes/db1 to diff from", plan.reason());
    }

    @Test
    void fullWhenAsked() {
        BackupPlan plan = BackupPlanner.plan(DB1, true, INCREMENTAL, Optional.of(PARENT));
        assertEquals(BackupKind.FULL, plan.kind());
        assertTrue(plan.reason().contains("--full"));
    }

    @Test
    void fullWhenTheBackendCannotDoIncrementals() {
        BackupPlan plan = BackupPlanner.plan(DB1, false, FULL_ONLY, Optional.of(PARENT));
        assertEquals(BackupKind.FULL, plan.kind());
        assertTrue(plan.reason().contains("full backups only"));
    }

    @Test
    void fullForFiles() {
        BackupPlan plan = BackupPlanner.plan(new VolumeRef("file:/dev/sdb"), false, INCREMENTAL, Optional.of(PARENT));
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals(Optional.empty(), plan.parent());
    }
}
