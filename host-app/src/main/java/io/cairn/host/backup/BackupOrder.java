package io.cairn.host.backup;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.config.ConfiguredCluster;
import java.util.Map;
import java.util.Objects;

/**
 * What to back up: one volume of one cluster.
 *
 * @param cluster   the cluster
 * @param volume    the volume ({@code POOL/IMAGE}) or file ({@code file:/PATH})
 * @param forceFull start a new chain even when an incremental backup is possible
 * @param labels    operator labels kept with the backup
 */
public record BackupOrder(ConfiguredCluster cluster, VolumeRef volume, boolean forceFull, Map<String, String> labels) {

    public BackupOrder {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
    }
}
