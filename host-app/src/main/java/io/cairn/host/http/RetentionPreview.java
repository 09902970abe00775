package io.cairn.host.http;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.backup.PruneOutcome;
import io.cairn.host.schedule.Schedule;

/** What a schedule's retention would do to a volume now: a dry run, deleting nothing. */
@FunctionalInterface
public interface RetentionPreview {

    /**
     * @throws RuntimeException when it cannot be decided (the cluster's file became invalid); the API then
     *         shows the volume without retention verdicts, and why
     */
    PruneOutcome preview(Schedule schedule, VolumeRef volume);
}
