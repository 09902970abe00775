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
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.policy.ChainRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The catalog's {@code plan_reason} (also the log's and {@code --json}'s {@code reason}) for each chain
 * decision, made from the volume's catalog records as a backup makes it.
 */
class PlanReasonTest {

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");
    private static final Capabilities INCREMENTAL = new Capabilities(true, RestorePointDependency.INDEPENDENT, true, true);
    private static final Capabilities FULL_ONLY = new Capabilities(false, RestorePointDependency.INDEPENDENT, false, true);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static final BackupRecord PARENT = BackupRecord.creating(new BackupId("aaaa1111"), "lab", DB1, BackupKind.FULL,
            Optional.empty(), Map.of(), "full", NOW.minusSeconds(3600)).available(BackupKind.FULL, ServiceMetadata.EMPTY,
            10, 10, 10, NOW.minusSeconds(3500));

    private static BackupRecord incrementalOf(BackupRecord parent, String id, Instant at, BackupStatus status) {
        return BackupRecord.creating(new BackupId(id), "lab", DB1, BackupKind.INCREMENTAL, Optional.of(parent), Map.of(),
                "incremental", at).available(BackupKind.INCREMENTAL, ServiceMetadata.EMPTY, 10, 1, 1, at).withStatus(status);
    }

    private static ChainDecision plan(VolumeRef volume, boolean forceFull, Capabilities capabilities,
            List<BackupRecord> history, ChainRules rules, Instant now) {
        return ChainPolicy.decide(volume, BackupRecord.entries(history), now, rules, capabilities, forceFull);
    }

    @Test
    void incrementalFromTheNewestAvailableBackup() {
        ChainDecision plan = plan(DB1, false, INCREMENTAL, List.of(PARENT), ChainRules.UNLIMITED, NOW);
        assertEquals(BackupKind.INCREMENTAL, plan.kind());
        assertEquals(Optional.of(PARENT.id()), plan.parent());
        assertEquals("incremental from aaaa1111, the newest available backup of volumes/db1 (chain aaaa1111): chain of 1,"
                + " no full_every or full_after set", plan.describe(DB1));
    }

    @Test
    void fullWhenThereIsNothingToDiffFrom() {
        ChainDecision plan = plan(DB1, false, INCREMENTAL, List.of(), ChainRules.UNLIMITED, NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals("full backup: no available backup of volumes/db1 to diff from", plan.describe(DB1));
    }

    @Test
    void fullWhenAsked() {
        ChainDecision plan = plan(DB1, true, INCREMENTAL, List.of(PARENT), ChainRules.UNLIMITED, NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertTrue(plan.describe(DB1).contains("--full"));
    }

    @Test
    void fullWhenTheBackendCannotDoIncrementals() {
        ChainDecision plan = plan(DB1, false, FULL_ONLY, List.of(PARENT), ChainRules.UNLIMITED, NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertTrue(plan.describe(DB1).contains("full backups only"));
    }

    @Test
    void fullForFiles() {
        ChainDecision plan = plan(new VolumeRef("file:/dev/sdb"), false, INCREMENTAL, List.of(PARENT),
                ChainRules.UNLIMITED, NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals(Optional.empty(), plan.parent());
    }

    @Test
    void aNewChainOnceTheChainHoldsFullEveryBackupsCountingDeletedOnes() {
        BackupRecord second = incrementalOf(PARENT, "aaaa2222", NOW.minusSeconds(1800), BackupStatus.AVAILABLE);
        BackupRecord third = incrementalOf(second, "aaaa3333", NOW.minusSeconds(900), BackupStatus.AVAILABLE);
        // Retention deleted the full backup; the chain still counts it.
        List<BackupRecord> history = List.of(PARENT.withStatus(BackupStatus.DELETED), second, third);
        ChainDecision plan = plan(DB1, false, INCREMENTAL, history, ChainRules.UNLIMITED.withFullEvery(3), NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals("full backup, new chain: chain of 3 reached full_every 3", plan.describe(DB1));

        ChainDecision longer = plan(DB1, false, INCREMENTAL, history, ChainRules.UNLIMITED.withFullEvery(4), NOW);
        assertEquals(Optional.of(third.id()), longer.parent());
        assertTrue(longer.describe(DB1).endsWith("chain of 3 < full_every 4"), longer.describe(DB1));
    }

    @Test
    void aNewChainOnceTheFullBackupIsOlderThanFullAfter() {
        ChainDecision plan = plan(DB1, false, INCREMENTAL, List.of(PARENT),
                ChainRules.UNLIMITED.withFullAfter(Duration.ofMinutes(30)), NOW);
        assertEquals(BackupKind.FULL, plan.kind());
        assertEquals("full backup, new chain: chain started 1h ago, full_after 30m", plan.describe(DB1));
    }

    @Test
    void failedAndUnfinishedBackupsAreNeverParents() {
        BackupRecord failed = incrementalOf(PARENT, "aaaa2222", NOW.minusSeconds(60), BackupStatus.ERROR);
        BackupRecord creating = incrementalOf(PARENT, "aaaa3333", NOW.minusSeconds(30), BackupStatus.CREATING);
        ChainDecision plan = plan(DB1, false, INCREMENTAL, List.of(PARENT, failed, creating),
                ChainRules.UNLIMITED, NOW);
        assertEquals(Optional.of(PARENT.id()), plan.parent());
    }
}
