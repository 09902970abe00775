package io.cairn.ceph.ops;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosObjectNames;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageNames;
import io.cairn.ceph.store.BackupMetadata;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.store.CephServiceMetadata;
import io.cairn.ceph.store.DigestObjects;
import io.cairn.ceph.store.ImageMarks;
import io.cairn.ceph.store.MetadataObjects;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every backup in the backup pool from what is stored there, for {@code cairn catalog rebuild}.
 *
 * <p>Two layouts are read:
 * <ul>
 *   <li><b>Cairn's</b>: base images {@code <image>.backup.<chain>} marked {@code cairn.base} (or, from
 *       before the mark, whose backups have Cairn's metadata objects), one snapshot
 *       {@code backup.<id>.snap.<time>} per backup, its metadata object {@code backup.<id>.meta} (the
 *       volume, labels, kind, parent and source snapshot of the backup) and its digests object. A
 *       metadata object whose restore point is gone is a backup that never finished or whose delete was
 *       interrupted: listed {@link FoundBackup.State#INCOMPLETE}, with what is left of it.</li>
 *   <li><b>The OpenStack reference driver's</b> (Cinder's Ceph backup driver, RBD sources):
 *       {@code volume-<uuid>.backup.<id>} (or {@code .backup.base}) without Cairn's mark, a snapshot
 *       {@code backup.<id>.snap.<unix time>} per backup. Each snapshot is a restorable backup; the
 *       oldest of a base is its full one, each later one an incremental of the one before. They are
 *       listed as foreign (origin set): the driver's metadata objects hold Cinder's volume metadata and
 *       no snapshot identity, so their source snapshots are never adopted. A base image without backup
 *       snapshots (the driver's full copies of non-RBD sources) has no point-in-time restore point
 *       and is not imported; a note says so.</li>
 * </ul>
 * A source snapshot is handed back for adoption only when it exists under the recorded name with the
 * snapshot id the metadata object recorded.
 */
public final class CephInventory implements InventoryOperation {

    /** Who writes the layout this class calls foreign. */
    public static final String REFERENCE_DRIVER = "OpenStack Cinder's Ceph backup driver";

    private static final Pattern BASE_NAME = Pattern.compile("^(.+)\\.backup\\.([a-z0-9][a-z0-9-]{0,63})$");
    private static final Pattern OWN_OBJECT = Pattern.compile("^backup\\.([a-z0-9][a-z0-9-]{0,63})\\.(meta|digests)$");
    /** Cinder's default pool for volumes, where an imported backup's volume is placed when it is found nowhere. */
    private static final String CINDER_VOLUME_POOL = "volumes";

    private final CephConnections connections;
    private final CephErrors errors;

    public CephInventory(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    public Inventory list() {
        try {
            return new Scan().run();
        } catch (NativeCallException e) {
            throw errors.translate(e, "inventory of pool " + connections.settings().pool());
        }
    }

    /** One inventory: what was read, and what was found. */
    private final class Scan {
        private final String pool = connections.settings().pool();
        private final MetadataObjects metadataObjects = new MetadataObjects(connections.backupPool(), pool);
        private final DigestObjects digestObjects = new DigestObjects(connections.backupPool(), pool);
        private final List<FoundBackup> found = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Set<String> onBases = new HashSet<>();
        private final Map<String, Optional<BackupMetadata>> metadataCache = new HashMap<>();
        private final Map<String, String> volumePools = new HashMap<>();

        Inventory run() {
            Set<String> metadataIds = new HashSet<>();
            Set<String> digestIds = new HashSet<>();
            for (String object : RadosObjectNames.list(connections.backupPool(), "pool " + pool,
                    name -> OWN_OBJECT.matcher(name).matches())) {
                Matcher m = OWN_OBJECT.matcher(object);
                if (m.matches()) {
                    (m.group(2).equals("meta") ? metadataIds : digestIds).add(m.group(1));
                }
            }
            for (String image : RbdImageNames.list(connections.backupPool(), "pool " + pool)) {
                Matcher m = BASE_NAME.matcher(image);
                if (m.matches()) {
                    base(image, m.group(1));
                }
            }
            for (String id : metadataIds) {
                if (!onBases.contains(id)) {
                    leftover(id, digestIds.contains(id));
                }
            }
            for (String id : digestIds) {
                if (!onBases.contains(id) && !metadataIds.contains(id)) {
                    notes.add("digests object " + pool + "/backup." + id + ".digests belongs to no metadata object or"
                            + " restore point; left alone");
                }
            }
            found.sort(Comparator.comparing(FoundBackup::createdAt).thenComparing(b -> b.id().value()));
            return new Inventory(found, notes);
        }

        /** The backups whose restore points are snapshots of one base image. */
        private void base(String image, String volumePart) {
            Optional<RbdImageHandle> opened = connections.openBackupImage(image, null, true);
            if (opened.isEmpty()) {
                return;
            }
            try (RbdImageHandle base = opened.get()) {
                String baseId = base.id();
                Map<String, String> marks = base.metadata();
                List<SnapshotInfo> snapshots = base.snapshots().stream()
                        .filter(s -> BackupNames.backupIdOfSnapshot(s.name()).filter(CephInventory::isBackupId).isPresent())
                        .toList();
                boolean cairns = ImageMarks.isCairnBase(image, marks) || snapshots.stream()
                        .anyMatch(s -> metadata(idOf(s)).isPresent());
                if (snapshots.isEmpty()) {
                    if (!cairns) {
                        notes.add("image " + pool + "/" + image + " has no backup snapshot: a full copy of the"
                                + " reference driver, or not a backup; not imported (its content can still change)");
                    }
                    return;
                }
                if (cairns) {
                    String chain = Optional.ofNullable(marks.get(ImageMarks.BASE)).orElse(BASE_NAME.matcher(image)
                            .replaceAll("$2"));
                    cairnBackups(image, baseId, chain, snapshots, base);
                } else {
                    referenceBackups(image, baseId, volumePart, snapshots, base);
                }
            }
        }

        private void cairnBackups(String image, String baseId, String chain, List<SnapshotInfo> snapshots,
                                  RbdImageHandle base) {
            Optional<VolumeRef> sibling = snapshots.stream().map(s -> metadata(idOf(s)))
                    .flatMap(Optional::stream).map(m -> new VolumeRef(m.volume())).findFirst();
            String previous = null;
            for (SnapshotInfo snapshot : snapshots) {
                String id = idOf(snapshot);
                onBases.add(id);
                Optional<BackupMetadata> meta = metadata(id);
                List<String> backupNotes = new ArrayList<>();
                BackupKind kind;
                Optional<BackupId> parent;
                if (meta.isPresent() && meta.get().kind() != null) {
                    kind = BackupKind.valueOf(meta.get().kind().toUpperCase(java.util.Locale.ROOT));
                    parent = Optional.ofNullable(meta.get().parent()).map(BackupId::new);
                } else {
                    kind = id.equals(chain) ? BackupKind.FULL : BackupKind.INCREMENTAL;
                    parent = kind == BackupKind.FULL ? Optional.empty()
                            : Optional.of(new BackupId(previous != null ? previous : chain));
                    backupNotes.add("kind and parent told from the order of the base image's snapshots (the metadata"
                            + " object does not record them)");
                }
                previous = id;
                Optional<VolumeRef> volume = meta.map(m -> new VolumeRef(m.volume())).or(() -> sibling);
                if (volume.isEmpty()) {
                    notes.add("restore point " + pool + "/" + image + "@" + snapshot.name() + " has no metadata object"
                            + " and nothing else names its volume; not imported");
                    continue;
                }
                if (meta.isEmpty()) {
                    backupNotes.add("its metadata object is missing: labels and the volume's image metadata are lost");
                }
                Instant finished = base.snapshotTime(snapshot.id());
                Instant created = meta.flatMap(m -> parseTime(m.createdAt())).orElse(finished);
                String sourceSnapshot = meta.map(BackupMetadata::snapshot).orElse(snapshot.name());
                String sourceSnapshotId = meta.map(BackupMetadata::sourceSnapshotId).orElse("");
                List<StoredResource> resources = new ArrayList<>();
                if (id.equals(chain)) {
                    resources.add(CephResources.baseImage(pool, image).withIdentity(baseId));
                }
                resources.add(CephResources.baseSnapshot(pool, image, snapshot.name())
                        .withIdentity(Long.toString(snapshot.id())));
                resources.addAll(ownObjects(new BackupId(id)));
                found.add(new FoundBackup(new BackupId(id), volume.get(), kind, parent, created, Optional.of(finished),
                        snapshot.size(), meta.map(BackupMetadata::labels).orElse(Map.of()),
                        CephServiceMetadata.stored(image, baseId, sourceSnapshot, sourceSnapshotId == null ? ""
                                : sourceSnapshotId, snapshot.name()).toServiceMetadata(),
                        adoptable(new BackupId(id), volume.get(), sourceSnapshot, sourceSnapshotId, snapshot.size(), created),
                        resources, FoundBackup.State.RESTORABLE, "", backupNotes));
            }
        }

        private void referenceBackups(String image, String baseId, String volumePart, List<SnapshotInfo> snapshots,
                                      RbdImageHandle base) {
            VolumeRef volume = referenceVolume(volumePart);
            String previous = null;
            for (SnapshotInfo snapshot : snapshots) {
                String id = idOf(snapshot);
                onBases.add(id);
                Instant finished = base.snapshotTime(snapshot.id());
                Instant created = referenceTime(snapshot.name()).orElse(finished);
                List<StoredResource> resources = List.of(CephResources.baseSnapshot(pool, image, snapshot.name())
                        .withIdentity(Long.toString(snapshot.id())));
                ServiceMetadata metadata = new CephServiceMetadata(Optional.of(image), Optional.of(baseId),
                        Optional.empty(), Optional.empty(), Optional.of(snapshot.name())).toServiceMetadata();
                found.add(new FoundBackup(new BackupId(id), volume, previous == null ? BackupKind.FULL
                        : BackupKind.INCREMENTAL, Optional.ofNullable(previous).map(BackupId::new), created,
                        Optional.of(finished), snapshot.size(), Map.of(), metadata, Optional.empty(), resources,
                        FoundBackup.State.RESTORABLE, REFERENCE_DRIVER,
                        List.of("written by " + REFERENCE_DRIVER + " into " + pool + "/" + image)));
                previous = id;
            }
        }

        /** A Cairn metadata object whose restore point is gone: a backup that never finished, or half deleted. */
        private void leftover(String id, boolean hasDigests) {
            if (!isBackupId(id)) {
                return;
            }
            Optional<BackupMetadata> meta = metadata(id);
            if (meta.isEmpty()) {
                notes.add("metadata object " + pool + "/backup." + id + ".meta has no restore point and is not"
                        + " Cairn's (the reference driver's, of a backup whose base image is gone?); left alone");
                return;
            }
            BackupMetadata m = meta.get();
            BackupId backupId = new BackupId(id);
            VolumeRef volume = new VolumeRef(m.volume());
            List<StoredResource> resources = new ArrayList<>(ownObjects(backupId));
            String baseName = BackupNames.baseImage(volume.isFile()
                    ? BackupNames.fileVolumeName(volume.filePath().toString())
                    : RbdVolume.parse(volume).image(), backupId);
            Optional<String> baseId = Optional.empty();
            Optional<RbdImageHandle> base = connections.openBackupImage(baseName, null, true);
            if (base.isPresent()) {
                try (RbdImageHandle handle = base.get()) {
                    if (ImageMarks.isCairnBase(baseName, handle.metadata())) {
                        baseId = Optional.of(handle.id());
                        resources.add(0, CephResources.baseImage(pool, baseName).withIdentity(baseId.get()));
                    }
                }
            }
            boolean incremental = "incremental".equals(m.kind()) && m.parent() != null;
            Instant created = parseTime(m.createdAt()).orElse(Instant.EPOCH);
            found.add(new FoundBackup(backupId, volume, incremental ? BackupKind.INCREMENTAL : BackupKind.FULL,
                    incremental ? Optional.of(new BackupId(m.parent())) : Optional.empty(), created, Optional.empty(),
                    m.sizeBytes(), m.labels(), ServiceMetadata.EMPTY, Optional.empty(), resources,
                    FoundBackup.State.INCOMPLETE, "", List.of("its restore point is gone: it never finished, or its"
                            + " delete was interrupted" + (hasDigests ? "" : "; it has no digests object"))));
        }

        /** The metadata and digests objects a backup has, with their identities. */
        private List<StoredResource> ownObjects(BackupId id) {
            List<StoredResource> resources = new ArrayList<>();
            metadataObjects.identity(id).ifPresent(identity ->
                    resources.add(CephResources.metadataObject(pool, id).withIdentity(identity)));
            digestObjects.identity(id).ifPresent(identity ->
                    resources.add(CephResources.digestObject(pool, id).withIdentity(identity)));
            return resources;
        }

        /** Cairn's metadata of a backup, or empty (absent, unreadable, or the reference driver's). */
        private Optional<BackupMetadata> metadata(String id) {
            return metadataCache.computeIfAbsent(id, key -> {
                try {
                    return metadataObjects.read(new BackupId(key)).filter(BackupMetadata::isCairns)
                            .filter(m -> key.equals(m.backupId()));
                } catch (RuntimeException e) {
                    notes.add("metadata object " + pool + "/backup." + key + ".meta cannot be read: " + e.getMessage());
                    return Optional.empty();
                }
            });
        }

        /**
         * The source snapshot to hand back for adoption: only when the source volume holds a snapshot of
         * the recorded name with the recorded snapshot id.
         */
        private Optional<VolumeSnapshot> adoptable(BackupId id, VolumeRef volume, String name, String snapshotId,
                                                   long size, Instant created) {
            if (snapshotId == null || snapshotId.isEmpty() || volume.isFile()) {
                return Optional.empty();
            }
            try (RbdImageHandle source = connections.openSource(RbdVolume.parse(volume), null, true)) {
                return source.snapshotId(name).stream().mapToObj(Long::toString).filter(snapshotId::equals).findFirst()
                        .map(matching -> new VolumeSnapshot(id, volume, name, size, created, matching));
            } catch (VolumeNotFoundException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** The volume a reference driver's base belongs to: the pool of the source cluster holding the image. */
        private VolumeRef referenceVolume(String image) {
            String pool = volumePools.computeIfAbsent(image, name -> {
                List<String> holding = new ArrayList<>();
                for (String candidate : connections.source().poolNames()) {
                    try {
                        Optional<RbdImageHandle> found = connections.openSourceIfExists(
                                RbdVolume.parse(new VolumeRef(candidate + "/" + name)), true);
                        if (found.isPresent()) {
                            found.get().close();
                            holding.add(candidate);
                        }
                    } catch (RuntimeException e) {
                        // a pool that holds no RBD images, or one this user may not read
                    }
                }
                if (holding.size() == 1) {
                    return holding.get(0);
                }
                notes.add("volume " + name + " of the reference driver's backups is in " + (holding.isEmpty() ? "no pool"
                        : "several pools " + holding) + " of the source cluster; recorded as " + CINDER_VOLUME_POOL
                        + "/" + name);
                return CINDER_VOLUME_POOL;
            });
            return new VolumeRef(pool + "/" + image);
        }
    }

    private static String idOf(SnapshotInfo snapshot) {
        return BackupNames.backupIdOfSnapshot(snapshot.name()).orElseThrow();
    }

    private static boolean isBackupId(String text) {
        try {
            new BackupId(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The time in a reference driver's snapshot name: {@code backup.<id>.snap.<unix seconds with a fraction>}. */
    static Optional<Instant> referenceTime(String snapshotName) {
        Matcher m = BackupNames.SNAPSHOT_PATTERN.matcher(snapshotName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(m.group(2));
            long whole = seconds.longValue();
            long nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Optional.of(Instant.ofEpochSecond(whole, nanos));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

}
