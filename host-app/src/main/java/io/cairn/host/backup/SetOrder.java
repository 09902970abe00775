package io.cairn.host.backup;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.policy.ChainRules;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to back up as one backup set: a group the backend keeps, or a list of volumes, of one cluster.
 *
 * @param cluster   the cluster
 * @param group     the backend's group ({@code volumes/vm-42}), whose members are read when the set starts
 * @param volumes   the volumes of a list (empty for a group)
 * @param forceFull every member starts a new chain
 * @param labels    operator labels, on every member backup
 * @param chain     when a member starts a new chain: a schedule's rules, or none from the command line
 */
public record SetOrder(ConfiguredCluster cluster, Optional<String> group, List<VolumeRef> volumes, boolean forceFull,
        Map<String, String> labels, ChainRules chain) {

    public SetOrder {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(group, "group is null");
        volumes = List.copyOf(Objects.requireNonNull(volumes, "volumes is null"));
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(chain, "chain is null");
        if (group.isPresent() == !volumes.isEmpty()) {
            throw new IllegalArgumentException("a set names a group or a list of volumes, not both or neither");
        }
    }

    /** How an operator names what the set is of. */
    public String describe() {
        return group.map(name -> "group " + name).orElseGet(() -> "volumes "
                + String.join(", ", volumes.stream().map(VolumeRef::locator).toList()));
    }

    /** The order of one member's backup. */
    BackupOrder member(VolumeRef volume) {
        return new BackupOrder(cluster, volume, forceFull, labels, chain);
    }
}
