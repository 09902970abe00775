package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.api.operation.InventoryOperation.Inventory;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ImportLog;
import io.cairn.host.catalog.ImportedBackup;
import io.cairn.host.catalog.SourceSnapshot;
import io.cairn.api.model.StoredResource;
import io.cairn.host.config.ConfiguredCluster;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn catalog rebuild}: records in the catalog every backup a cluster's backend finds in backup
 * storage ({@link InventoryOperation}) that the catalog does not know - after {@code data_dir} was lost,
 * on a new host, or beside records that survived - and reports, without changing them, the records that
 * disagree with storage. Running it again changes nothing.
 *
 * <p>A backup is recorded as the host would have recorded it: its kind, parent and chain, times, size,
 * labels, the backend's service metadata, the storage objects it owns (its resources, as its journal
 * would have recorded them), and as {@code available} (restorable), {@code error} (what a
 * never-finished backup left, which its delete removes) or {@code foreign} (another tool's). Its source
 * snapshot is recorded - and so removed by the host once a newer backup exists, as for any backup - only
 * when the backend found it with the identity it recorded. A parent that storage no longer holds (it was
 * deleted before the catalog was lost) gets a placeholder record, {@code deleted}, so that the chain can
 * be followed and measured.
 */
public final class CatalogRebuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogRebuilder.class);

    private final BackupCatalog catalog;
    private final ImportLog imports;
    private final ClusterSessions sessions;
    private final Clock clock;

    public CatalogRebuilder(BackupCatalog catalog, ImportLog imports, ClusterSessions sessions, Clock clock) {
        this.catalog = catalog;
        this.imports = imports;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * @throws OperationFailedException when the backend cannot list what it stored
     */
    public RebuildReport rebuild(ConfiguredCluster cluster, boolean dryRun) {
        BackendSession session = sessions.session(cluster);
        InventoryOperation inventory = session.inventory().orElseThrow(() -> new OperationFailedException("backend '"
                + cluster.backend().backendId() + "' of cluster " + cluster.name() + " cannot list what it stored (its"
                + " plugin offers no inventory), so its catalog cannot be rebuilt"));
        Inventory found = inventory.list();
        Instant now = clock.instant();
        List<RebuildReport.Imported> imported = new ArrayList<>();
        List<BackupId> agreeing = new ArrayList<>();
        List<RebuildReport.Conflict> conflicts = new ArrayList<>();
        // What this run recorded, for the parents of later backups (a dry run writes nothing).
        Map<BackupId, BackupRecord> recorded = new HashMap<>();
        for (FoundBackup backup : found.backups()) {
            Optional<BackupRecord> existing = catalog.find(backup.id());
            if (existing.isPresent()) {
                Optional<String> conflict = conflict(existing.get(), backup, cluster);
                if (conflict.isPresent()) {
                    conflicts.add(new RebuildReport.Conflict(backup.id(), conflict.get()));
                } else {
                    agreeing.add(backup.id());
                }
                continue;
            }
            Optional<BackupRecord> parent = Optional.empty();
            if (backup.parent().isPresent()) {
                BackupId parentId = backup.parent().get();
                parent = Optional.ofNullable(recorded.get(parentId)).or(() -> catalog.find(parentId));
                if (parent.isEmpty()) {
                    BackupRecord placeholder = placeholder(parentId, backup, cluster);
                    if (!dryRun) {
                        catalog.insert(placeholder);
                    }
                    recorded.put(parentId, placeholder);
                    imported.add(new RebuildReport.Imported(placeholder, backup, true, false));
                    parent = Optional.of(placeholder);
                }
            }
            BackupRecord record = recordOf(backup, parent, cluster, now);
            boolean adopted = backup.snapshot().isPresent();
            if (!dryRun) {
                catalog.insert(record);
                imports.record(new ImportedBackup(backup.id(), now, backup.origin(), Optional.empty(), backup.notes()));
                // What it owns, as its journal would have recorded it: what its delete removes, and what restores
                // into backup storage are refused by.
                for (StoredResource resource : backup.resources()) {
                    catalog.recordResource(backup.id(), resource, now);
                }
            }
            recorded.put(backup.id(), record);
            imported.add(new RebuildReport.Imported(record, backup, false, adopted));
            LOG.info("catalog rebuild of cluster {}: {} backup {} of {} ({}){}", cluster.name(),
                    dryRun ? "would record" : "recorded", backup.id(), backup.volume(), record.status().label(),
                    adopted ? ", its source snapshot held again" : "");
        }
        return new RebuildReport(cluster.name(), dryRun, imported, agreeing, conflicts, found.notes());
    }

    private static BackupRecord recordOf(FoundBackup backup, Optional<BackupRecord> parent, ConfiguredCluster cluster,
            Instant now) {
        BackupStatus status;
        Optional<String> error = Optional.empty();
        if (backup.state() == FoundBackup.State.INCOMPLETE) {
            status = BackupStatus.ERROR;
            error = Optional.of("found incomplete in backup storage by catalog rebuild: "
                    + String.join("; ", backup.notes()));
        } else {
            status = backup.foreign() ? BackupStatus.FOREIGN : BackupStatus.AVAILABLE;
        }
        String reason = "recorded at " + now + " by catalog rebuild from backup storage"
                + (backup.foreign() ? ", written by " + backup.origin() : "")
                + (backup.kind() == BackupKind.INCREMENTAL ? " (incremental from " + backup.parent().orElseThrow() + ")"
                        : " (full)");
        BackupId chain = backup.kind() == BackupKind.FULL ? backup.id() : parent.map(BackupRecord::chain)
                .orElse(backup.id());
        return new BackupRecord(backup.id(), cluster.name(), backup.volume(), backup.kind(),
                backup.kind() == BackupKind.FULL ? Optional.empty() : backup.parent(), chain, status,
                backup.snapshot().map(SourceSnapshot::taken), backup.sizeBytes(), 0, 0, backup.createdAt(),
                backup.finishedAt().or(() -> Optional.of(backup.createdAt())), backup.labels(), backup.metadata(), reason,
                error);
    }

    /** A parent storage no longer holds: recorded deleted, so the chain can be followed and measured. */
    private static BackupRecord placeholder(BackupId id, FoundBackup child, ConfiguredCluster cluster) {
        Instant before = child.createdAt().minusSeconds(1);
        return new BackupRecord(id, cluster.name(), child.volume(), BackupKind.FULL, Optional.empty(), id,
                BackupStatus.DELETED, Optional.empty(), child.sizeBytes(), 0, 0, before, Optional.of(before), Map.of(),
                ServiceMetadata.EMPTY, "placeholder recorded by catalog rebuild: backup " + child.id() + " names it as its"
                        + " parent, but backup storage no longer holds it (it was deleted before the catalog was lost);"
                        + " its kind and time are not known", Optional.empty());
    }

    /** How a catalog record disagrees with what storage holds, if it does. */
    private static Optional<String> conflict(BackupRecord record, FoundBackup found, ConfiguredCluster cluster) {
        if (!record.cluster().equals(cluster.name())) {
            return Optional.of("the catalog records it on cluster " + record.cluster() + ", but it is in the backup"
                    + " storage of cluster " + cluster.name());
        }
        if (!record.volume().equals(found.volume())) {
            return Optional.of("the catalog records it of volume " + record.volume() + ", storage of " + found.volume());
        }
        if (record.kind() != found.kind() || !record.parent().equals(found.parent())) {
            return Optional.of("the catalog records it " + describe(record.kind(), record.parent()) + ", storage "
                    + describe(found.kind(), found.parent()));
        }
        boolean restorable = found.state() == FoundBackup.State.RESTORABLE;
        BackupStatus status = record.status();
        if (restorable && (status == BackupStatus.DELETED || status == BackupStatus.ERROR)) {
            return Optional.of("the catalog records it " + status.label() + ", but backup storage holds its restore point"
                    + " (delete it again to remove what is left)");
        }
        if (!restorable && (status.isStored() || status == BackupStatus.FOREIGN || status == BackupStatus.EXPIRING)) {
            return Optional.of("the catalog records it " + status.label() + ", but backup storage holds no complete"
                    + " restore point of it (`cairn verify` will say so)");
        }
        return Optional.empty();
    }

    private static String describe(BackupKind kind, Optional<BackupId> parent) {
        return kind.label() + parent.map(p -> " from " + p).orElse("");
    }
}
