package io.cairn.host.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@code cairn serve} runs schedules, from {@code cairn.yaml}.
 *
 * @param maxParallelBackups           backups running at once on this host, over all clusters
 * @param maxParallelBackupsPerCluster backups running at once on this host against one cluster
 * @param misfireThreshold             how late a firing may start before Quartz counts it as missed
 * @param clustered                    whether several hosts share the catalog database and its
 *                                     scheduler (Quartz clustering: each firing runs on one host)
 * @param stopTimeout                  how long a stopping {@code serve} (SIGTERM) waits for running
 *                                     backups before it exits anyway
 */
public record ServeSettings(int maxParallelBackups, int maxParallelBackupsPerCluster, Duration misfireThreshold,
        boolean clustered, Duration stopTimeout) {

    public ServeSettings {
        if (maxParallelBackups < 1 || maxParallelBackupsPerCluster < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        Objects.requireNonNull(misfireThreshold, "misfireThreshold is null");
        Objects.requireNonNull(stopTimeout, "stopTimeout is null");
    }
}
