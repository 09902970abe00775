package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Copies a catalog into another database - the embedded one into PostgreSQL when a second host joins, or back -
 * for {@code cairn catalog copy}.
 *
 * <p>What moves: every backup record (deleted ones too: they are the chains' history, which the chain rules
 * count) with what Cairn owns for it (its snapshot's record, its recorded resources), every restore, and every
 * recorded firing of a schedule. What does not: volume locks, which belong to running processes (a copy is
 * refused while one is held, or a restore runs: stop {@code cairn serve} and let running commands end first),
 * and Quartz's job store, which {@code cairn serve} rebuilds from {@code conf/schedules/} when it starts on the
 * new catalog (so a firing missed while the hosts were switched over is not caught up). A target that already
 * holds backups or firings is refused unless it may be replaced. The copy is one transaction per table on the
 * target, checked by counting afterwards.
 */
public final class CatalogCopy {

    private final CatalogDatabase source;
    private final CatalogDatabase target;
    private final Clock clock;

    public CatalogCopy(CatalogDatabase source, CatalogDatabase target, Clock clock) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.target = Objects.requireNonNull(target, "target is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /**
     * @param replace whether a target holding backups or firings may be emptied first
     * @throws CatalogException when a lock is held on either side, the target is not empty (and may not be
     *                          replaced), or the copy does not add up
     */
    public Result copy(boolean replace) {
        List<String> held = new ArrayList<>(heldLocks(source));
        held.addAll(runningRestores(source));
        if (!held.isEmpty()) {
            throw new CatalogException("cannot copy catalog " + source.url() + " while volumes are locked (a backup,"
                    + " restore or delete is running): stop cairn serve and wait for running commands to end; held: "
                    + String.join("; ", held), null);
        }
        BackupCatalog from = new BackupCatalog(source);
        BackupCatalog to = new BackupCatalog(target);
        ScheduleRunLog runsFrom = new ScheduleRunLog(source);
        ScheduleRunLog runsTo = new ScheduleRunLog(target);
        long present = to.count() + runsTo.all().size();
        if (present > 0) {
            if (!replace) {
                throw new CatalogException("catalog " + target.url() + " is not empty (" + to.count() + " backups, "
                        + runsTo.all().size() + " schedule firings); copy into an empty database, or give --replace to"
                        + " empty it first", null);
            }
            List<String> targetHeld = heldLocks(target);
            if (!targetHeld.isEmpty()) {
                throw new CatalogException("cannot replace catalog " + target.url() + " while its volumes are locked"
                        + " (a cairn process is using it): " + String.join("; ", targetHeld), null);
            }
            empty(target);
        }
        List<BackupRecord> backups = parentsFirst(from.list(new BackupFilter(java.util.Optional.empty(),
                java.util.Optional.empty(), true)));
        List<ScheduleRun> runs = runsFrom.all();
        Map<BackupId, List<RecordedResource>> resources = from.allResources();
        List<RestoreRecord> restores = restoresOf(source).all();
        to.insertAll(backups);
        to.insertResources(resources);
        restoresOf(target).insertAll(restores);
        runsTo.insertAll(runs);
        // Backup sets after their member backups (members reference backups.id).
        List<BackupSetRecord> sets = new BackupSetCatalog(source).list(java.util.Optional.empty(), true);
        BackupSetCatalog setsTo = new BackupSetCatalog(target);
        sets.forEach(setsTo::insert);
        if (setsTo.list(java.util.Optional.empty(), true).size() != sets.size()) {
            throw new CatalogException("the copy into " + target.url() + " does not add up: backup sets", null);
        }
        long resourceCount = resources.values().stream().mapToLong(List::size).sum();
        if (to.countResources() != resourceCount || restoresOf(target).all().size() != restores.size()) {
            throw new CatalogException("the copy into " + target.url() + " does not add up: " + to.countResources()
                    + " of " + resourceCount + " recorded resources, " + restoresOf(target).all().size() + " of "
                    + restores.size() + " restores", null);
        }
        copyVerifyGraceAndImportRecords();
        long copiedBackups = to.count();
        int copiedRuns = runsTo.all().size();
        if (copiedBackups != backups.size() || copiedRuns != runs.size()) {
            throw new CatalogException("the copy into " + target.url() + " does not add up: " + copiedBackups + " of "
                    + backups.size() + " backups, " + copiedRuns + " of " + runs.size() + " firings", null);
        }
        long notDeleted = backups.stream().filter(b -> b.status() != BackupStatus.DELETED).count();
        return new Result(backups.size(), notDeleted, runs.size(), present > 0);
    }

    /** Verify results, grace periods and imports, which refer to the backups copied. */
    private void copyVerifyGraceAndImportRecords() {
        VerifyLog verifiesTo = new VerifyLog(target);
        new VerifyLog(source).all().forEach(verifiesTo::record);
        ExpiringBackups expiringTo = new ExpiringBackups(target);
        new ExpiringBackups(source).all().forEach(expiringTo::copy);
        ImportLog importsTo = new ImportLog(target);
        new ImportLog(source).all().forEach(importsTo::record);
    }

    private List<String> heldLocks(CatalogDatabase database) {
        try (VolumeLeases leases = new VolumeLeases(database, java.time.Duration.ofMinutes(1), clock,
                ProcessIdentity.current())) {
            return leases.heldLocks();
        }
    }

    private RestoreLog restoresOf(CatalogDatabase database) {
        return new RestoreLog(database, java.time.Duration.ofMinutes(1), clock, ProcessIdentity.current());
    }

    /** Restores running now, with their holder alive: they would go on writing into the catalog copied from. */
    private List<String> runningRestores(CatalogDatabase database) {
        try (RestoreLog restores = restoresOf(database)) {
            return restores.all().stream().filter(restores::isLive).map(r -> r.describe() + " by " + r.holder())
                    .toList();
        }
    }

    /** Removes the records a copy replaces; the job store is left to the next {@code serve}'s reconciliation. */
    private static void empty(CatalogDatabase database) {
        database.transaction("empty the catalog", connection -> {
            // Children before parents (parent_id references backups.id).
            try (PreparedStatement members = connection.prepareStatement("DELETE FROM backup_set_members");
                    PreparedStatement sets = connection.prepareStatement("DELETE FROM backup_sets");
                    PreparedStatement verifies = connection.prepareStatement("DELETE FROM verifications");
                    PreparedStatement expiring = connection.prepareStatement("DELETE FROM expiring_backups");
                    PreparedStatement imports = connection.prepareStatement("DELETE FROM imported_backups");
                    PreparedStatement resources = connection.prepareStatement("DELETE FROM backup_resources");
                    PreparedStatement restores = connection.prepareStatement("DELETE FROM restores");
                    PreparedStatement unlink = connection.prepareStatement("UPDATE backups SET parent_id = NULL");
                    PreparedStatement backups = connection.prepareStatement("DELETE FROM backups");
                    PreparedStatement runs = connection.prepareStatement("DELETE FROM schedule_runs");
                    PreparedStatement leases = connection.prepareStatement("DELETE FROM volume_leases")) {
                members.executeUpdate();
                sets.executeUpdate();
                verifies.executeUpdate();
                expiring.executeUpdate();
                imports.executeUpdate();
                resources.executeUpdate();
                restores.executeUpdate();
                unlink.executeUpdate();
                backups.executeUpdate();
                runs.executeUpdate();
                leases.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The records in an order the parent reference accepts: each after its parent. Start times already give it
     * (an incremental is planned from a stored backup), this only makes sure.
     */
    static List<BackupRecord> parentsFirst(List<BackupRecord> records) {
        Map<BackupId, BackupRecord> pending = new LinkedHashMap<>();
        records.forEach(r -> pending.put(r.id(), r));
        Set<BackupId> placed = new HashSet<>();
        List<BackupRecord> ordered = new ArrayList<>(records.size());
        while (!pending.isEmpty()) {
            int before = ordered.size();
            for (var it = pending.values().iterator(); it.hasNext(); ) {
                BackupRecord record = it.next();
                if (record.parent().isEmpty() || placed.contains(record.parent().get())
                        || !pending.containsKey(record.parent().get())) {
                    ordered.add(record);
                    placed.add(record.id());
                    it.remove();
                }
            }
            if (ordered.size() == before) {
                throw new CatalogException("backups " + pending.keySet() + " are each other's parents", null);
            }
        }
        return ordered;
    }

    /**
     * What was copied.
     *
     * @param backups    backup records, deleted ones included
     * @param notDeleted of those, the ones not deleted
     * @param firings    recorded firings of schedules
     * @param replaced   whether the target held records that were removed first
     */
    public record Result(long backups, long notDeleted, long firings, boolean replaced) {
    }
}
