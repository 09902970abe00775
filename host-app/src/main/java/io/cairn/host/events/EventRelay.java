package io.cairn.host.events;

import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.ScheduleRun;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link OperationEvents} the host hands its orchestrators when it builds them; whoever wants to
 * watch - {@code cairn serve}'s metrics - subscribes later. A subscriber that throws is logged and never
 * fails the work it watches.
 */
public final class EventRelay implements OperationEvents {

    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

    private final List<OperationEvents> subscribers = new CopyOnWriteArrayList<>();

    /** From now on, {@code subscriber} is told too. */
    public void subscribe(OperationEvents subscriber) {
        subscribers.add(java.util.Objects.requireNonNull(subscriber, "subscriber is null"));
    }

    @Override
    public void backupSucceeded(BackupRecord record) {
        tell(s -> s.backupSucceeded(record));
    }

    @Override
    public void backupFailed(String cluster, VolumeRef volume, Optional<BackupRecord> record, Failure failure) {
        tell(s -> s.backupFailed(cluster, volume, record, failure));
    }

    @Override
    public void restoreFinished(String cluster, Duration elapsed, long bytesWritten, boolean succeeded) {
        tell(s -> s.restoreFinished(cluster, elapsed, bytesWritten, succeeded));
    }

    @Override
    public void verifyFailed(String cluster) {
        tell(s -> s.verifyFailed(cluster));
    }

    @Override
    public void retentionDeletion(String cluster, boolean succeeded) {
        tell(s -> s.retentionDeletion(cluster, succeeded));
    }

    @Override
    public void groupSnapshotTaken(String cluster, GroupSnapshot snapshot) {
        tell(s -> s.groupSnapshotTaken(cluster, snapshot));
    }

    @Override
    public void firingFinished(ScheduleRun run) {
        tell(s -> s.firingFinished(run));
    }

    private void tell(Consumer<OperationEvents> event) {
        for (OperationEvents subscriber : subscribers) {
            try {
                event.accept(subscriber);
            } catch (RuntimeException e) {
                LOG.warn("{} failed on an event: {}", subscriber.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
