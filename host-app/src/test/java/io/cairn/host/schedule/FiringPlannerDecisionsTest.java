package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.CatalogDialect;
import io.cairn.host.policy.BackupEntry;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.policy.ChainReason;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.testing.TestCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code cairn plan} decides from each volume's current chain only ({@link BackupCatalog#currentChains}); these
 * decisions must be exactly those of the chain policy over the volume's whole history, on every database the catalog
 * lives in. Histories are generated at random from fixed seeds: chains, retention's deletions, failures, corrupt and
 * foreign backups, ties in time, clocks gone back, and parents that lead out of a chain's records or to another volume.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class FiringPlannerDecisionsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T02:30:00Z");
    private static final int VOLUMES = 40;
    private static final List<BackupStatus> STATUSES = List.of(BackupStatus.AVAILABLE, BackupStatus.AVAILABLE,
            BackupStatus.AVAILABLE, BackupStatus.AVAILABLE, BackupStatus.DELETED, BackupStatus.DELETED,
            BackupStatus.DELETED, BackupStatus.CORRUPT, BackupStatus.ERROR, BackupStatus.CREATING,
            BackupStatus.DELETING, BackupStatus.EXPIRING, BackupStatus.FOREIGN);

    @Parameter
    CatalogDialect kind;

    @TempDir
    Path data;

    @Test
    void decisionsFromTheCurrentChainsAreThoseOfTheWholeHistories() throws IOException {
        Map<ChainReason.Cause, Integer> causes = new EnumMap<>(ChainReason.Cause.class);
        int incremental = 0;
        for (long seed = 1; seed <= 3; seed++) {
            Path dir = Files.createDirectories(data.resolve("seed" + seed));
            try (CatalogDatabase database = CatalogDatabase.open(TestCatalogs.fresh(kind, dir))) {
                BackupCatalog catalog = new BackupCatalog(database);
                Instant last = seed(catalog, new Random(seed));
                List<VolumeRef> volumes = new ArrayList<>();
                for (int v = 0; v <= VOLUMES; v++) {
                    volumes.add(volume(v)); // the last has no backups at all
                }
                Map<VolumeRef, List<BackupEntry>> histories = catalog.entries("lab");
                for (ChainRules rules : List.of(ChainRules.UNLIMITED, ChainRules.UNLIMITED.withFullEvery(3),
                        ChainRules.UNLIMITED.withFullEvery(50).withFullAfter(Duration.ofDays(4)))) {
                    for (RestorePointDependency dependency : RestorePointDependency.values()) {
                        Capabilities capabilities = new Capabilities(true, dependency, false, false);
                        Instant now = last.plus(Duration.ofHours(20));
                        Map<VolumeRef, ChainDecision> planned = FiringPlanner.decide(catalog, "lab", volumes, now,
                                rules, capabilities);
                        assertEquals(volumes, List.copyOf(planned.keySet()));
                        for (VolumeRef volume : volumes) {
                            ChainDecision whole = ChainPolicy.decide(volume, histories.getOrDefault(volume, List.of()),
                                    now, rules, capabilities, false);
                            assertEquals(whole, planned.get(volume), "seed " + seed + ", " + volume + ", " + rules
                                    + ", " + dependency + ": " + histories.get(volume));
                            causes.merge(whole.reason().cause(), 1, Integer::sum);
                            incremental += whole.kind() == BackupKind.INCREMENTAL ? 1 : 0;
                        }
                    }
                }
            }
        }
        // The histories exercise every way a decision can go, so that the comparison above means something.
        assertTrue(incremental > 50, "incremental decisions: " + incremental);
        for (ChainReason.Cause cause : List.of(ChainReason.Cause.NO_AVAILABLE_BACKUP, ChainReason.Cause.PARENT_CORRUPT,
                ChainReason.Cause.CHAIN_BROKEN)) {
            assertTrue(causes.getOrDefault(cause, 0) > 0, cause + " never decided: " + causes);
        }
    }

    /** Writes random histories of cluster lab's volumes (and a decoy cluster's); returns the newest start time. */
    private static Instant seed(BackupCatalog catalog, Random random) {
        List<BackupRecord> all = new ArrayList<>();
        Instant newest = T0;
        for (String cluster : List.of("lab", "decoy")) {
            for (int v = 0; v < VOLUMES; v++) {
                List<BackupRecord> history = new ArrayList<>();
                Instant at = T0.plus(Duration.ofMinutes(random.nextInt(600)));
                int count = random.nextInt(14);
                for (int i = 0; i < count; i++) {
                    int step = random.nextInt(10);
                    // Mostly a day later; sometimes at the same instant, sometimes earlier (a clock set back).
                    at = step == 0 ? at : step == 1 ? at.minus(Duration.ofHours(3)) : at.plus(Duration.ofDays(1));
                    BackupId id = new BackupId(cluster + "-v" + v + "-b" + i);
                    BackupStatus status = STATUSES.get(random.nextInt(STATUSES.size()));
                    BackupRecord parent = null;
                    if (!history.isEmpty() && random.nextInt(5) != 0) {
                        int pick = random.nextInt(10);
                        parent = pick < 7 ? history.get(history.size() - 1)
                                : pick < 9 || all.isEmpty() ? history.get(random.nextInt(history.size()))
                                : all.get(random.nextInt(all.size())); // another volume's: leads out of the chain
                    }
                    BackupId chain = parent == null ? id : random.nextInt(8) == 0
                            ? history.get(random.nextInt(history.size())).id() // a chain id the parent does not have
                            : parent.chain();
                    BackupRecord record = new BackupRecord(id, cluster, volume(v),
                            parent == null ? BackupKind.FULL : BackupKind.INCREMENTAL,
                            Optional.ofNullable(parent).map(BackupRecord::id), chain, status, Optional.empty(), 1L << 30,
                            0, 0, at, Optional.empty(), Map.of(), ServiceMetadata.EMPTY, "generated", Optional.empty());
                    history.add(record);
                    all.add(record);
                    newest = at.isAfter(newest) ? at : newest;
                }
            }
        }
        catalog.insertAll(all);
        return newest;
    }

    private static VolumeRef volume(int v) {
        return new VolumeRef("volumes/vm-" + v);
    }
}
