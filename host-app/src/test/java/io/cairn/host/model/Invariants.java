package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What must hold between steps, checked against the catalog (through {@code cairn list --json}) and the
 * cluster (through the rbd and rados CLIs):
 *
 * <ul>
 *   <li>the catalog agrees with the model: every backup it knows, with the status, kind, parent and size
 *       the model expects; nothing left {@code creating} or {@code deleting};</li>
 *   <li>no orphan source snapshot: every snapshot on a source volume is held by exactly one backup record
 *       (by name and snapshot id) or is a foreign one, and every snapshot the catalog says it holds is
 *       there; the host holds the snapshot the model expects (after a clean backup, only that one);</li>
 *   <li>no orphan in a backup pool: its images are the base images of available backups (with the
 *       recorded image ids) or foreign ones; each available backup has exactly one snapshot on its base
 *       and one metadata object, and nothing else has;</li>
 *   <li>every foreign snapshot, image and object is still there, unchanged;</li>
 *   <li>the source pool holds the volumes and the restore targets the model keeps, none marked as an
 *       unfinished restore.</li>
 * </ul>
 * {@link #restoresAll} adds the expensive one: every available backup restores byte-identical.
 */
final class Invariants {

    private final ModelWorld world;
    private final Model model;

    Invariants(ModelWorld world, Model model) {
        this.world = world;
        this.model = model;
    }

    /** Checks what {@code scope} covers; throws an AssertionError naming every disagreement. */
    void check(Scope scope) {
        if (!scope.includesCatalog()) {
            return;
        }
        List<String> problems = problems(scope);
        if (!problems.isEmpty()) {
            throw new AssertionError("invariants violated:\n  " + String.join("\n  ", problems));
        }
    }

    /** The disagreements there are now, for {@link #check} and for waiting until recovery ends. */
    List<String> problems(Scope scope) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> catalog = world.catalog();
        checkCatalog(catalog, problems);
        for (String volume : scope.volumes()) {
            checkSourceSnapshots(volume, catalog, problems);
            if (scope.isDeep()) {
                List<String> trashed = world.ceph().trashedSnapshots(volume);
                if (!trashed.isEmpty()) {
                    problems.add(volume + " holds snapshots outside the user namespace " + trashed
                            + ": a snapshot's removal was interrupted and never finished");
                }
            }
        }
        for (String cluster : scope.clusters()) {
            checkBackupPool(cluster, catalog, scope.isDeep(), problems);
        }
        if (scope.includesSourcePool()) {
            checkSourcePool(problems);
        }
        return problems;
    }

    private void checkCatalog(List<JsonNode> catalog, List<String> problems) {
        Set<String> seen = new TreeSet<>();
        for (JsonNode record : catalog) {
            String id = text(record, "id");
            String status = text(record, "status");
            seen.add(id);
            Optional<ModelBackup> known = model.backup(id);
            if (known.isEmpty()) {
                problems.add("catalog holds backup " + id + " (" + status + ", " + text(record, "volume")
                        + ") the model never saw");
                continue;
            }
            ModelBackup backup = known.get();
            String expected = backup.status().name().toLowerCase();
            if (!status.equals(expected)) {
                problems.add("backup " + backup + " is " + status + " in the catalog");
            }
            if (backup.available()) {
                if (!text(record, "kind").equals(backup.kind())) {
                    problems.add("backup " + backup + " is " + text(record, "kind") + " in the catalog");
                }
                if (!String.valueOf(text(record, "parent")).equals(String.valueOf(backup.parent()))) {
                    problems.add("backup " + backup + " has parent " + text(record, "parent") + " in the catalog, "
                            + "expected " + backup.parent());
                }
                if (record.get("size_bytes").asLong() != backup.size()) {
                    problems.add("backup " + backup + " has size " + record.get("size_bytes").asLong()
                            + " in the catalog, expected " + backup.size());
                }
            }
        }
        for (ModelBackup backup : model.backups()) {
            if (!seen.contains(backup.id())) {
                problems.add("backup " + backup + " is missing from the catalog");
            }
        }
    }

    private void checkSourceSnapshots(String volume, List<JsonNode> catalog, List<String> problems) {
        List<ModelCluster.Snapshot> snapshots = world.ceph().snapshots(volume);
        List<JsonNode> records = catalog.stream().filter(r -> volume.equals(text(r, "volume"))).toList();
        for (Foreign.Snapshot foreign : model.foreignSnapshots()) {
            if (foreign.volume().equals(volume)
                    && snapshots.stream().noneMatch(s -> s.name().equals(foreign.name()) && s.id().equals(foreign.id()))) {
                problems.add("foreign snapshot " + foreign + " is gone");
            }
        }
        for (ModelCluster.Snapshot snapshot : snapshots) {
            if (isForeign(volume, snapshot)) {
                continue;
            }
            List<JsonNode> holders = records.stream()
                    .filter(r -> snapshot.name().equals(text(r, "snapshot")) && holdsSnapshot(r)).toList();
            if (holders.size() != 1) {
                problems.add("snapshot " + volume + "@" + snapshot.name() + " (snap id " + snapshot.id() + ") is held by "
                        + holders.size() + " backup records" + (holders.isEmpty() ? ": an orphan" : ""));
            } else {
                String identity = snapshotIdentity(holders.get(0));
                if (identity != null && !identity.isEmpty() && !identity.equals(snapshot.id())) {
                    problems.add("snapshot " + volume + "@" + snapshot.name() + " has snap id " + snapshot.id()
                            + " but backup " + text(holders.get(0), "id") + " recorded " + identity);
                }
            }
        }
        for (JsonNode record : records) {
            if (!holdsSnapshot(record) || model.takenAway(text(record, "id"))) {
                continue;
            }
            String identity = snapshotIdentity(record);
            boolean present = snapshots.stream().anyMatch(s -> s.name().equals(text(record, "snapshot"))
                    && (identity == null || identity.isEmpty() || s.id().equals(identity)));
            if (!present) {
                problems.add("backup " + text(record, "id") + " (" + text(record, "cluster") + ") records its snapshot "
                        + text(record, "snapshot") + " as held, but the volume has no such snapshot");
            }
        }
        for (String cluster : ModelWorld.CLUSTERS) {
            Optional<ModelBackup> held = model.held(cluster, volume);
            held.ifPresent(backup -> {
                if (snapshots.stream().noneMatch(s -> s.name().equals(backup.snapshot()))) {
                    problems.add("the snapshot of " + backup + ", the newest stored, is gone from the source");
                }
            });
            if (!model.heldLoosely(cluster, volume)) {
                Set<String> expected = held.map(b -> Set.of(b.id())).orElse(Set.of());
                Set<String> holding = records.stream()
                        .filter(r -> cluster.equals(text(r, "cluster")) && holdsSnapshot(r)
                                && !model.takenAway(text(r, "id")))
                        .map(r -> text(r, "id")).collect(Collectors.toCollection(TreeSet::new));
                if (!holding.isEmpty() && !holding.equals(expected)) {
                    problems.add("on " + volume + " cluster " + cluster + " holds the snapshots of " + holding
                            + ", expected only " + expected);
                }
            }
        }
    }

    private void checkBackupPool(String cluster, List<JsonNode> catalog, boolean deep, List<String> problems) {
        String pool = world.backupPool(cluster);
        List<JsonNode> available = catalog.stream()
                .filter(r -> cluster.equals(text(r, "cluster")) && "available".equals(text(r, "status"))).toList();
        Map<String, List<JsonNode>> byBase = new HashMap<>();
        for (JsonNode record : available) {
            byBase.computeIfAbsent(metadata(record, "base"), b -> new ArrayList<>()).add(record);
        }
        List<ModelCluster.Image> images = world.ceph().images(pool, deep);
        for (Foreign.Image foreign : model.foreignImages()) {
            if (foreign.pool().equals(pool)) {
                Optional<ModelCluster.Image> image = images.stream().filter(i -> i.name().equals(foreign.name())).findFirst();
                if (image.isEmpty() || !image.get().id().equals(foreign.id())) {
                    problems.add("foreign image " + foreign.spec() + " is gone or replaced");
                } else if (!image.get().snapshots().stream().map(ModelCluster.Snapshot::name).toList()
                        .equals(foreign.snapshots())) {
                    problems.add("foreign image " + foreign.spec() + " has snapshots " + image.get().snapshots()
                            + ", expected " + foreign.snapshots());
                }
            }
        }
        for (ModelCluster.Image image : images) {
            if (model.foreignImages().stream().anyMatch(f -> f.pool().equals(pool) && f.name().equals(image.name()))) {
                continue;
            }
            if (!image.openable()) {
                problems.add("image " + pool + "/" + image.name() + " is listed but cannot be opened: its removal was"
                        + " interrupted and never finished");
                continue;
            }
            if (!image.trashed().isEmpty()) {
                problems.add("image " + pool + "/" + image.name() + " holds snapshots outside the user namespace "
                        + image.trashed() + ": a snapshot's removal was interrupted and never finished");
            }
            List<JsonNode> users = byBase.getOrDefault(image.name(), List.of());
            if (users.isEmpty()) {
                problems.add("orphan image " + pool + "/" + image.name() + " (no available backup of cluster " + cluster
                        + " is stored in it; snapshots " + image.snapshots() + ")");
                continue;
            }
            for (JsonNode user : users) {
                String baseId = metadata(user, "base_id");
                if (baseId != null && !baseId.equals(image.id())) {
                    problems.add("base image " + pool + "/" + image.name() + " has id " + image.id() + " but backup "
                            + text(user, "id") + " recorded " + baseId);
                }
            }
            for (ModelCluster.Snapshot snapshot : image.snapshots()) {
                if (users.stream().noneMatch(u -> snapshot.name().startsWith("backup." + text(u, "id") + ".snap."))) {
                    problems.add("orphan snapshot " + pool + "/" + image.name() + "@" + snapshot.name()
                            + " (no available backup's)");
                }
            }
            for (JsonNode user : users) {
                long count = image.snapshots().stream()
                        .filter(s -> s.name().startsWith("backup." + text(user, "id") + ".snap.")).count();
                if (count != 1) {
                    problems.add("available backup " + text(user, "id") + " has " + count + " snapshots on its base "
                            + pool + "/" + image.name());
                }
            }
        }
        for (String base : byBase.keySet()) {
            if (images.stream().noneMatch(i -> i.name().equals(base))) {
                problems.add("base image " + pool + "/" + base + " of available backups "
                        + byBase.get(base).stream().map(r -> text(r, "id")).toList() + " is gone");
            }
        }
        Set<String> objects = world.ceph().objects(pool);
        for (Foreign.RadosObject foreign : model.foreignObjects()) {
            if (foreign.pool().equals(pool) && !objects.contains(foreign.name())) {
                problems.add("foreign object " + pool + "/" + foreign.name() + " is gone");
            }
        }
        Set<String> expectedMeta = available.stream().map(r -> "backup." + text(r, "id") + ".meta")
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> meta = objects.stream().filter(o -> o.startsWith("backup.") && o.endsWith(".meta"))
                .filter(o -> model.foreignObjects().stream().noneMatch(f -> f.pool().equals(pool) && f.name().equals(o)))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!meta.equals(expectedMeta)) {
            Set<String> orphans = new TreeSet<>(meta);
            orphans.removeAll(expectedMeta);
            Set<String> missing = new TreeSet<>(expectedMeta);
            missing.removeAll(meta);
            problems.add("metadata objects in " + pool + ": orphans " + orphans + ", missing " + missing);
        }
    }

    private void checkSourcePool(List<String> problems) {
        checkRestoreRecords(problems);
        Set<String> expected = new TreeSet<>(model.volumes());
        expected.addAll(model.targets().keySet());
        Set<String> images = world.ceph().images(world.sourcePool(), false).stream()
                .map(i -> world.sourcePool() + "/" + i.name()).collect(Collectors.toCollection(TreeSet::new));
        if (!images.equals(expected)) {
            problems.add("source pool holds " + images + ", expected " + expected);
        }
        for (String image : expected) {
            if (images.contains(image)) {
                world.ceph().imageMeta(image, RestoreChecks.INCOMPLETE_MARK).ifPresent(backup -> problems.add(
                        image + " is marked " + RestoreChecks.INCOMPLETE_MARK + "=" + backup
                                + " though every restore into it finished"));
            }
        }
    }

    /** No restore is recorded as still running. */
    private void checkRestoreRecords(List<String> problems) {
        io.cairn.host.testing.CliRun run = world.cairn("restores", "--json", "--limit", "100000");
        if (run.exitCode() != 0) {
            problems.add("cairn restores failed: " + run);
            return;
        }
        for (JsonNode restore : ModelWorld.parse(run.out())) {
            if ("running".equals(text(restore, "status"))) {
                problems.add("restore " + text(restore, "id") + " of backup " + text(restore, "backup") + " into "
                        + text(restore, "target") + " is recorded as running, though none runs");
            }
        }
    }

    /**
     * Restores every available backup into a new image and compares its checksum with the source
     * snapshot's, taken right after the backup; removes the images after.
     */
    void restoresAll(RestoreChecks restores) {
        List<String> problems = new ArrayList<>();
        for (ModelBackup backup : model.available()) {
            String problem = restores.restoreAndCompare(backup);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("available backups that do not restore byte-identical:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private boolean isForeign(String volume, ModelCluster.Snapshot snapshot) {
        return model.foreignSnapshots().stream()
                .anyMatch(f -> f.volume().equals(volume) && f.name().equals(snapshot.name()) && f.id().equals(snapshot.id()));
    }

    /** Whether the record says the host holds its source snapshot on the volume. */
    private static boolean holdsSnapshot(JsonNode record) {
        return text(record, "snapshot") != null && "held".equals(text(record, "snapshot_state"));
    }

    private static String snapshotIdentity(JsonNode record) {
        String identity = text(record, "snapshot_identity");
        return identity != null ? identity : metadata(record, "source_snapshot_id");
    }

    private static String metadata(JsonNode record, String key) {
        JsonNode metadata = record.get("service_metadata");
        return metadata == null || !metadata.has(key) ? null : metadata.get(key).asText();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
