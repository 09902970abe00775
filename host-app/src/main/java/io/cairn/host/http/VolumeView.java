package io.cairn.host.http;

import io.cairn.host.view.BackupView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A volume that has backups, as {@code GET /api/v1/volumes} shows it: its chains and what retention will do.
 *
 * @param cluster         the cluster
 * @param volume          the volume
 * @param schedule        the schedule whose retention applies (the first that selects the volume), or null
 * @param newestAvailable when the newest available backup finished, or null when none is available
 * @param newestStatus    the status of the newest backup (error when the last try failed)
 * @param chains          its chains, oldest first, each with its backups (not deleted ones) oldest first
 * @param retention       by backup id, what the schedule's retention decides now (empty without schedule)
 * @param retentionError  why retention could not be decided, or null
 */
record VolumeView(String cluster, String volume, String schedule, Instant newestAvailable, String newestStatus,
        List<ChainView> chains, Map<String, RetentionView> retention, String retentionError) {

    /**
     * One chain: a full backup and the incremental ones on it.
     *
     * @param chain   the id of its full backup
     * @param backups its backups, oldest first
     */
    record ChainView(String chain, List<BackupView> backups) {
    }

    /**
     * Retention's verdict on one backup.
     *
     * @param decision keep or remove
     * @param reason   which rule keeps it, or why it goes
     */
    record RetentionView(String decision, String reason) {
    }
}
