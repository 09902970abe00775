package io.cairn.host.schedule;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.api.Capabilities;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.VolumeListing;
import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.policy.BackupEntry;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.policy.ChainReason;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.config.ConfiguredCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a schedule's firing would do if it fired now, for {@code cairn plan}: its volumes resolved, and for each,
 * full or incremental and why - the decision each backup of the firing makes, made for all volumes at once from
 * one read of the cluster's current chains (a schedule may select ten thousand volumes, each with years of
 * history): {@link ChainPolicy} decides from the newest stored backup and its ancestors only, and a chain whose
 * parents lead out of its records is decided again from the volume's whole history, so every decision is the one
 * the whole history gives.
 */
public final class FiringPlanner {

    private FiringPlanner() {
    }

    /**
     * @param listing the backend's volume listing, asked for only when the schedule has patterns (it contacts the
     *                cluster)
     */
    public static FiringPlan plan(Schedule schedule, ConfiguredCluster cluster, Supplier<Optional<VolumeListing>> listing,
            BackupCatalog catalog, Instant now) {
        boolean patterns = schedule.volumes().stream().anyMatch(VolumeSelector::isPattern);
        VolumeResolver.Resolved resolved = VolumeResolver.resolve(schedule.volumes(),
                patterns ? listing.get() : Optional.empty(), cluster.backend().descriptor().volumeNaming(),
                cluster.backend().backendId());
        Map<VolumeRef, ChainDecision> decisions = decide(catalog, cluster.name(), resolved.volumes(), now,
                schedule.chain(), cluster.backend().descriptor().capabilities());
        List<VolumePlan> volumes = new ArrayList<>(resolved.volumes().size());
        for (VolumeRef volume : resolved.volumes()) {
            ChainDecision decision = decisions.get(volume);
            volumes.add(new VolumePlan(volume, decision.kind(), decision.parent().map(BackupId::value),
                    decision.describe(volume)));
        }
        return new FiringPlan(schedule.name(), cluster.name(), now, volumes, resolved.notes());
    }

    /**
     * The chain policy's decision for each volume, as the volume's next backup would make it from its whole history,
     * made from one read of the cluster's current chains ({@link BackupCatalog#currentChains}); a volume whose chain
     * leads out of those records (the policy finds a parent missing) is decided again from its whole history.
     *
     * @return each volume's decision, in the order given
     */
    public static Map<VolumeRef, ChainDecision> decide(BackupCatalog catalog, String cluster, List<VolumeRef> volumes,
            Instant now, ChainRules rules, Capabilities capabilities) {
        Map<VolumeRef, List<BackupEntry>> chains = catalog.currentChains(cluster);
        Map<VolumeRef, ChainDecision> decisions = new LinkedHashMap<>();
        for (VolumeRef volume : volumes) {
            ChainDecision decision = ChainPolicy.decide(volume, chains.getOrDefault(volume, List.of()), now, rules,
                    capabilities, false);
            if (decision.reason() instanceof ChainReason.ChainBroken broken && broken.missing().isPresent()) {
                decision = ChainPolicy.decide(volume, BackupRecord.entries(catalog.history(cluster, volume)), now, rules,
                        capabilities, false);
            }
            decisions.put(volume, decision);
        }
        return decisions;
    }

    /**
     * A firing's plan.
     *
     * @param schedule the schedule's name
     * @param cluster  its cluster
     * @param at       the time the plan was made for
     * @param volumes  each volume the firing would back up, in order
     * @param notes    patterns that matched nothing
     */
    public record FiringPlan(String schedule, String cluster, Instant at, List<VolumePlan> volumes, List<String> notes) {
        public FiringPlan {
            volumes = List.copyOf(Objects.requireNonNull(volumes, "volumes is null"));
            notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
        }

        public long count(BackupKind kind) {
            return volumes.stream().filter(v -> v.kind() == kind).count();
        }
    }

    /**
     * One volume's backup in a firing's plan.
     *
     * @param volume the volume
     * @param kind   full or incremental
     * @param parent the backup an incremental one diffs from
     * @param reason why
     */
    public record VolumePlan(VolumeRef volume, BackupKind kind, Optional<String> parent, String reason) {
    }
}
