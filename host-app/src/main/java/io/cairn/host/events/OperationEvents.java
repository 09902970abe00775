package io.cairn.host.events;

import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.ScheduleRun;
import java.time.Duration;
import java.util.Optional;

/**
 * What the host's operations tell whoever watches them - {@code cairn serve}'s metrics - as they
 * finish. The orchestrators and the schedule firing call it; a listener records and returns at once,
 * never throws, never blocks (it runs on the thread that did the work).
 *
 * <p>Every method has an empty default, so a listener overrides only what it uses, and {@link #NONE}
 * serves the commands nobody watches.
 */
public interface OperationEvents {

    /** Nobody listens. */
    OperationEvents NONE = new OperationEvents() {
    };

    /** How a backup that did not become available ended. */
    enum Failure {
        /** Another backup or delete held the volume's lock; nothing was tried. */
        BUSY,
        /** It failed: the cluster did not answer, the backend failed, the catalog could not record it. */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A backup became available ({@code record} is the final record, with sizes and end time). */
    default void backupSucceeded(BackupRecord record) {
    }

    /**
     * A backup did not become available.
     *
     * @param cluster the cluster it was to run on
     * @param volume  the volume
     * @param record  its record ({@code error}), when it got as far as being recorded
     * @param failure busy or failed
     */
    default void backupFailed(String cluster, VolumeRef volume, Optional<BackupRecord> record, Failure failure) {
    }

    /**
     * A restore finished.
     *
     * @param cluster      the cluster
     * @param elapsed      how long it took
     * @param bytesWritten what it wrote to the target; 0 when it failed
     * @param succeeded    whether it succeeded
     */
    default void restoreFinished(String cluster, Duration elapsed, long bytesWritten, boolean succeeded) {
    }

    /**
     * A verify could not check its backup: the cluster did not answer or the backend failed. Nothing is recorded
     * in the catalog then (a verify that got through is, and is counted from there).
     */
    default void verifyFailed(String cluster) {
    }

    /** Retention deleted a backup ({@code succeeded}), or tried to and failed. */
    default void retentionDeletion(String cluster, boolean succeeded) {
    }

    /**
     * A backup set's group snapshot was taken; its members are transferred from it next, and it is removed once
     * they all ended. Told before the first transfer, on the thread of the set.
     *
     * @param cluster  the cluster
     * @param snapshot the group snapshot, with each member's image in it
     */
    default void groupSnapshotTaken(String cluster, GroupSnapshot snapshot) {
    }

    /** A schedule's firing finished, with its final status ({@link ScheduleRun#status()}). */
    default void firingFinished(ScheduleRun run) {
    }
}
