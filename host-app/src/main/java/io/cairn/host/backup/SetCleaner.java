package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VolumeLease;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what a process that died left of backup sets, under the leases of every member: a set still
 * {@code creating} is failed as a whole - a member it had stored is failed and its storage removed by its own
 * records (a set is kept whole or not at all), the group snapshot is removed - and recorded {@code error}
 * ("interrupted"). Members still {@code creating} are left to the volume's own clean-up, which the next step
 * of any backup runs. A failed set whose group snapshot could not be removed then is tried again.
 */
final class SetCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(SetCleaner.class);

    private final BackupSetCatalog sets;
    private final BackupCatalog catalog;
    private final BackupOrchestrator backups;
    private final Clock clock;

    SetCleaner(BackupSetCatalog sets, BackupCatalog catalog, BackupOrchestrator backups, Clock clock) {
        this.sets = sets;
        this.catalog = catalog;
        this.backups = backups;
        this.clock = clock;
    }

    /**
     * Cleans the unfinished sets of one series whose members are all among {@code held}.
     *
     * @return one line per set cleaned, for the operator
     */
    List<String> cleanUnfinished(BackendSession session, String cluster, String series, Map<VolumeRef, VolumeLease> held) {
        List<String> done = new ArrayList<>();
        for (BackupSetRecord set : sets.series(cluster, series)) {
            boolean interrupted = set.status() == BackupStatus.CREATING;
            boolean leftSnapshot = set.status() == BackupStatus.ERROR && set.holdsGroupSnapshot();
            if (!interrupted && !leftSnapshot) {
                continue;
            }
            if (!set.members().stream().allMatch(member -> held.containsKey(member.volume()))) {
                LOG.warn("backup set {} was left unfinished, but not all its members are locked now; left for later",
                        set.id());
                continue;
            }
            if (interrupted) {
                for (BackupSetRecord.Member member : set.members()) {
                    Optional<BackupRecord> record = catalog.find(member.backupId());
                    if (record.isPresent() && record.get().status() == BackupStatus.AVAILABLE) {
                        backups.fail(session, held.get(member.volume()), record.get(), new RuntimeException(
                                "interrupted: backup set " + set.id() + " was not finished (its process stopped)"));
                    }
                }
            }
            set.toGroupSnapshot().filter(snapshot -> set.holdsGroupSnapshot())
                    .ifPresent(snapshot -> removeGroupSnapshot(session, set, snapshot));
            if (interrupted) {
                BackupSetRecord failed = set.withStatus(BackupStatus.ERROR, Optional.of(clock.instant()),
                        Optional.of("interrupted: the process making it stopped before it finished; no member is kept"));
                sets.update(failed, BackupStatus.CREATING);
                done.add("cleaned up interrupted backup set " + set.id());
            }
        }
        return done;
    }

    private void removeGroupSnapshot(BackendSession session, BackupSetRecord set, GroupSnapshot snapshot) {
        try {
            session.groupSnapshots().orElseThrow().remove(snapshot);
            sets.groupSnapshotRemoved(set.id());
        } catch (RuntimeException e) {
            LOG.warn("backup set {}: cannot remove group snapshot {} yet: {}", set.id(), snapshot.name(), e.getMessage());
        }
    }
}
