package io.cairn.host.backup;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.policy.ChainRules;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import io.cairn.api.model.BackupId;

/**
 * What to back up: one volume of one cluster.
 *
 * @param cluster   the cluster
 * @param volume    the volume (the backend's name for it) or file ({@code file:/PATH})
 * @param forceFull start a new chain even when an incremental backup is possible
 * @param labels    operator labels kept with the backup
 * @param chain     when to start a new chain: a schedule's rules, or none for a backup from the command line
 * @param snapshot  an existing snapshot of the volume to back up as it is ({@code VOLUME@SNAP}), which is not
 *                  Cairn's and is never removed by it; empty: Cairn takes a snapshot of its own
 * @param parent    the parent an operator chose for an incremental ({@code --parent}); empty: the chain policy
 *                  decides
 */
public record BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels,
        ChainRules chain, Optional<String> snapshot, Optional<BackupId> parent) {

    public BackupOrder {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(chain, "chain is null");
        Objects.requireNonNull(snapshot, "snapshot is null");
        Objects.requireNonNull(parent, "parent is null");
    }

    /** A backup from a snapshot of Cairn's own, its parent decided by the chain rules. */
    public BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels,
            ChainRules chain) {
        this(cluster, volume, forceFull, labels, chain, Optional.empty(), Optional.empty());
    }

    /** The same order, backing up the existing snapshot {@code name} of the volume. */
    public BackupOrder fromExistingSnapshot(String name) {
        return new BackupOrder(cluster, volume, forceFull, labels, chain, Optional.of(name), parent);
    }

    /** The same order, incremental from the chosen backup. */
    public BackupOrder withParent(BackupId chosen) {
        return new BackupOrder(cluster, volume, forceFull, labels, chain, snapshot, Optional.of(chosen));
    }

    /** A backup without chain rules: incremental whenever possible. */
    public BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels) {
        this(cluster, volume, forceFull, labels, ChainRules.UNLIMITED);
    }
}
