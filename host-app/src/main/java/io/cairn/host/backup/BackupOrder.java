package io.cairn.host.backup;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.policy.ChainRules;
import java.util.Map;
import java.util.Objects;

/**
 * What to back up: one volume of one cluster.
 *
 * @param cluster   the cluster
 * @param volume    the volume (the backend's name for it) or file ({@code file:/PATH})
 * @param forceFull start a new chain even when an incremental backup is possible
 * @param labels    operator labels kept with the backup
 * @param chain     when to start a new chain: a schedule's rules, or none for a backup from the command line
 */
public record BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels,
        ChainRules chain) {

    public BackupOrder {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(chain, "chain is null");
    }

    /** A backup without chain rules: incremental whenever possible. */
    public BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels) {
        this(cluster, volume, forceFull, labels, ChainRules.UNLIMITED);
    }
}
