package io.cairn.host.schedule;

import io.cairn.api.Capabilities;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.VolumeListing;
import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.policy.BackupEntry;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.config.ConfiguredCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a schedule's firing would do if it fired now, for {@code cairn plan}: its volumes resolved, and for each,
 * full or incremental and why - the decision each backup of the firing makes, made for all volumes at once from
 * one read of the cluster's histories (a schedule may select ten thousand volumes).
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
        Capabilities capabilities = cluster.backend().descriptor().capabilities();
        Map<VolumeRef, List<BackupEntry>> histories = catalog.entries(cluster.name());
        List<VolumePlan> volumes = new ArrayList<>(resolved.volumes().size());
        for (VolumeRef volume : resolved.volumes()) {
            ChainDecision decision = ChainPolicy.decide(volume, histories.getOrDefault(volume, List.of()), now,
                    schedule.chain(), capabilities, false);
            volumes.add(new VolumePlan(volume, decision.kind(), decision.parent().map(BackupId::value),
                    decision.describe(volume)));
        }
        return new FiringPlan(schedule.name(), cluster.name(), now, volumes, resolved.notes());
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
