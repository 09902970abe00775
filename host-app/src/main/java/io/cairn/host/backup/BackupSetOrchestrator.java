package io.cairn.host.backup;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.GroupSnapshotOperation;
import io.cairn.api.operation.GroupSnapshotRequest;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.catalog.BackupSetRecord.Member;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.schedule.SetSelector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup set: several volumes backed up together, at one instant.
 *
 * <ol>
 *   <li>The backend must have {@link BackendCapability#CONSISTENT_GROUPS}; a group's members are read from it.</li>
 *   <li>Every member's lease is taken (in name order, all or none): no other backup, delete or prune of a
 *       member runs meanwhile. Sets of the same volumes a dead process left unfinished are cleaned up.</li>
 *   <li>The set is recorded {@code creating}; each member is planned (full or incremental, as for one volume)
 *       and recorded {@code creating} as a member.</li>
 *   <li>Each member's own snapshot is taken, then one group snapshot of all of them, recorded as the set's - by
 *       the name it will have before the backend makes it, and again with its identity once it exists.</li>
 *   <li>Each member is transferred from its image in the group snapshot: every member holds the same instant.</li>
 *   <li>No member needs the group snapshot any more: it is removed. The set is recorded {@code available},
 *       and each member's older snapshots are removed as after any backup.</li>
 * </ol>
 *
 * <p>A member that fails fails the set, and nothing of it is kept: every member - stored ones too - is
 * recorded {@code error} and what it owns is removed by its own records, the group snapshot is removed, and
 * the set is recorded {@code error} with the reason.
 */
public final class BackupSetOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSetOrchestrator.class);

    private final BackupSetCatalog sets;
    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final ClusterSessions sessions;
    private final BackupOrchestrator backups;
    private final Clock clock;
    private final OperationEvents events;

    public BackupSetOrchestrator(BackupSetCatalog sets, BackupCatalog catalog, VolumeLeases leases,
            ClusterSessions sessions, BackupOrchestrator backups, Clock clock, OperationEvents events) {
        this.sets = sets;
        this.catalog = catalog;
        this.leases = leases;
        this.sessions = sessions;
        this.backups = backups;
        this.clock = clock;
        this.events = events;
    }

    /** A stored set: its record, its member backups in order, and what the operator should know. */
    public record SetOutcome(BackupSetRecord set, List<BackupRecord> members, List<String> notes) {
        public SetOutcome {
            members = List.copyOf(members);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Backs the set up.
     *
     * @throws SetRefusedException when the backend cannot take consistent group snapshots (nothing recorded)
     * @throws VolumeBusyException when a member's backup, delete or prune runs (nothing recorded)
     * @throws SetFailedException when the set failed; it and every member are then {@code error}
     */
    public SetOutcome backup(SetOrder order, ProgressListener progress) {
        if (!order.cluster().backend().descriptor().capabilitySet().contains(BackendCapability.CONSISTENT_GROUPS)) {
            throw new SetRefusedException("cluster " + order.cluster().name() + ": "
                    + SetSelector.refusal(order.cluster().backend().descriptor().id()));
        }
        BackendSession session = sessions.session(order.cluster());
        GroupSnapshotOperation groups = session.groupSnapshots().orElseThrow(() -> new SetRefusedException("cluster "
                + order.cluster().name() + ": " + SetSelector.refusal(order.cluster().backend().descriptor().id())));
        List<VolumeRef> volumes = order.group().isPresent() ? groups.members(order.group().get()) : order.volumes();
        String setId = UUID.randomUUID().toString();
        Map<VolumeRef, VolumeLease> held = acquireAll(order, volumes, setId, session);
        try {
            new SetCleaner(sets, catalog, backups, clock).cleanUnfinished(session, order.cluster().name(),
                    BackupSetRecord.seriesOf(order.group(), volumes), held);
            return run(setId, order, volumes, session, groups, held, progress);
        } finally {
            held.values().forEach(VolumeLease::close);
        }
    }

    /**
     * Cleans up the sets a process that died left {@code creating} on this cluster (what {@code serve} does when
     * it starts): under all of a set's member leases, the set is failed whole. A set whose members are busy is
     * left for later - the next backup of the same set cleans it too.
     *
     * @return one line per set cleaned or left
     */
    public List<String> recoverUnfinished(io.cairn.host.config.ConfiguredCluster cluster) {
        List<String> done = new ArrayList<>();
        for (BackupSetRecord set : sets.unfinished()) {
            if (!set.cluster().equals(cluster.name()) || set.status() != BackupStatus.CREATING) {
                continue;
            }
            try {
                BackendSession session = sessions.session(cluster);
                SetOrder order = new SetOrder(cluster, Optional.empty(), set.members().stream()
                        .map(BackupSetRecord.Member::volume).toList(), false, Map.of(),
                        io.cairn.host.policy.ChainRules.UNLIMITED);
                Map<VolumeRef, VolumeLease> held = acquireAll(order, order.volumes(), set.id(), session);
                try {
                    done.addAll(new SetCleaner(sets, catalog, backups, clock).cleanUnfinished(session, cluster.name(),
                            set.series(), held));
                } finally {
                    held.values().forEach(VolumeLease::close);
                }
            } catch (RuntimeException e) {
                done.add("backup set " + set.id() + " left for its next backup: " + e.getMessage());
            }
        }
        return done;
    }

    /** Every member's lease, in name order so that two sets never wait for each other; all or none. */
    private Map<VolumeRef, VolumeLease> acquireAll(SetOrder order, List<VolumeRef> volumes, String setId,
            BackendSession session) {
        Map<VolumeRef, VolumeLease> held = new LinkedHashMap<>();
        try {
            for (VolumeRef volume : volumes.stream().sorted(Comparator.comparing(VolumeRef::locator)).toList()) {
                held.put(volume, leases.acquire(order.cluster().name(), volume, "backup set " + setId,
                        ClientFences.clientOf(session)));
            }
            return held;
        } catch (RuntimeException e) {
            held.values().forEach(VolumeLease::close);
            if (e instanceof VolumeBusyException busy) {
                throw new VolumeBusyException("backup set of " + order.describe() + " cannot start: " + busy.getMessage());
            }
            throw e;
        }
    }

    private SetOutcome run(String setId, SetOrder order, List<VolumeRef> volumes, BackendSession session,
            GroupSnapshotOperation groups, Map<VolumeRef, VolumeLease> held, ProgressListener progress) {
        String cluster = order.cluster().name();
        BackupSetRecord set = BackupSetRecord.creating(setId, cluster, order.group(), volumes, clock.instant());
        sets.insert(set);
        LOG.info("backup set {} of {} on cluster {}: {} members", setId, order.describe(), cluster, volumes.size());
        List<BackupOrchestrator.Planned> planned = new ArrayList<>();
        List<BackupRecord> records = new ArrayList<>();
        Optional<GroupSnapshot> groupSnapshot = Optional.empty();
        try {
            for (int i = 0; i < volumes.size(); i++) {
                VolumeRef volume = volumes.get(i);
                BackupOrchestrator.Planned member = backups.plan(session, held.get(volume), BackupId.random(),
                        order.member(volume));
                planned.add(member);
                records.add(member.record());
                sets.addMember(setId, new Member(i, volume, member.record().id(), Optional.empty()));
            }
            // Each member's own snapshot first - what later incrementals diff from - then the one instant.
            List<VolumeSnapshot> own = new ArrayList<>();
            for (int i = 0; i < planned.size(); i++) {
                BackupRecord snapshotted = backups.takeSnapshot(planned.get(i), order.member(volumes.get(i)));
                records.set(i, snapshotted);
                own.add(snapshotted.snapshot().orElseThrow().toVolumeSnapshot(snapshotted.id(), snapshotted.volume()));
            }
            // Record first, create second: the name the group snapshot will have is in the catalog before the
            // backend makes anything for it, so that a process killed meanwhile leaves a record to remove it by.
            SnapshotJournal journal = name -> sets.recordIntendedGroupSnapshot(setId, order.group(), name,
                    clock.instant());
            GroupSnapshot taken = groups.create(new GroupSnapshotRequest(setId, order.group(), own), journal);
            groupSnapshot = Optional.of(taken);
            sets.recordGroupSnapshot(setId, taken);
            LOG.info("backup set {}: group snapshot {} taken", setId, taken.name());
            events.groupSnapshotTaken(cluster, taken);
            for (int i = 0; i < planned.size(); i++) {
                VolumeRef volume = volumes.get(i);
                VolumeSnapshot image = taken.member(volume).orElseThrow(() -> new IllegalStateException(
                        "group snapshot " + taken.name() + " has no image of member " + volume));
                records.set(i, backups.transfer(planned.get(i), records.get(i), order.member(volume), progress,
                        Optional.of(image)));
            }
        } catch (RuntimeException e) {
            throw fail(set, session, planned, records, groupSnapshot, groups, e);
        }
        // No member needs the group snapshot any more: each one's data is stored, and its own snapshot is what
        // the next incremental diffs from.
        List<String> notes = new ArrayList<>();
        removeGroupSnapshot(setId, groupSnapshot.orElseThrow(), groups).ifPresent(notes::add);
        BackupSetRecord available = sets.find(setId).orElseThrow().withStatus(BackupStatus.AVAILABLE,
                Optional.of(clock.instant()), Optional.empty());
        if (!sets.update(available, BackupStatus.CREATING)) {
            throw new IllegalStateException("backup set " + setId + " changed in the catalog while it was being made");
        }
        LOG.info("backup set {} of {} on cluster {} is available", setId, order.describe(), cluster);
        for (int i = 0; i < planned.size(); i++) {
            notes.addAll(backups.finish(planned.get(i), records.get(i)));
            events.backupSucceeded(records.get(i));
        }
        return new SetOutcome(sets.find(setId).orElseThrow(), records, notes);
    }

    /**
     * Fails the set as a whole: every member recorded so far is failed and what it owns removed (a stored member
     * too: a set is kept whole or not at all), the group snapshot removed, the set recorded {@code error}.
     */
    private SetFailedException fail(BackupSetRecord set, BackendSession session,
            List<BackupOrchestrator.Planned> planned, List<BackupRecord> records, Optional<GroupSnapshot> groupSnapshot,
            GroupSnapshotOperation groups, RuntimeException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        List<String> left = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            BackupRecord member = records.get(i);
            try {
                OperationFailedException failed = backups.fail(session, planned.get(i).lease(), member,
                        new RuntimeException("backup set " + set.id() + " failed: " + reason, cause));
                failed.record().ifPresent(record -> events.backupFailed(set.cluster(), record.volume(),
                        Optional.of(record), OperationEvents.Failure.FAILED));
                if (failed.getMessage().contains("; left for the next")) {
                    left.add(member.volume().locator());
                }
            } catch (RuntimeException e) {
                LOG.warn("backup set {}: cannot fail member {}: {}", set.id(), member.id(), e.getMessage());
                left.add(member.volume().locator());
            }
        }
        // A group snapshot that failed while it was made is recorded by its intended name only (the backend undid
        // what it made, or left it for this removal to find).
        groupSnapshot.or(() -> sets.find(set.id()).filter(BackupSetRecord::holdsGroupSnapshot)
                        .flatMap(BackupSetRecord::toGroupSnapshot))
                .ifPresent(taken -> removeGroupSnapshot(set.id(), taken, groups).ifPresent(left::add));
        BackupSetRecord current = sets.find(set.id()).orElse(set);
        BackupSetRecord failed = current.withStatus(BackupStatus.ERROR, Optional.of(clock.instant()), Optional.of(reason));
        sets.update(failed, current.status());
        LOG.debug("backup set {} failed", set.id(), cause);
        return new SetFailedException("backup set " + set.id() + " of " + current.describe() + " on cluster "
                + set.cluster() + " failed: " + reason + "; no member is kept"
                + (left.isEmpty() ? "" : " (left for the next backup or delete to remove: " + String.join(", ", left)
                        + ")"), sets.find(set.id()).orElse(failed), cause);
    }

    /** Removes the set's group snapshot and records it; a failure is a note (it stays recorded as held). */
    private Optional<String> removeGroupSnapshot(String setId, GroupSnapshot snapshot, GroupSnapshotOperation groups) {
        try {
            groups.remove(snapshot);
            sets.groupSnapshotRemoved(setId);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("backup set {}: cannot remove group snapshot {}: {}", setId, snapshot.name(), e.getMessage());
            return Optional.of("could not remove group snapshot " + snapshot.name() + " (removed by the next backup of"
                    + " the set, or its delete): " + e.getMessage());
        }
    }
}
