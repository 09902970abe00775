package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.host.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code cairn backup CLUSTER VOLUME [--full]}. The model predicts full or incremental: incremental from
 * the newest available backup of the volume on that cluster file exactly when the host still holds that
 * backup's source snapshot (the other cluster file's backups must not take it away), full otherwise or
 * with {@code --full}. The source snapshot is read back with {@code rbd export} right after the backup:
 * its checksum is what every restore of the backup must have, and it must equal the model's bytes.
 */
final class BackupOp implements Operation {

    private final ModelWorld world;
    private final Model model;
    private final String cluster;
    private final String volume;
    private final boolean full;

    BackupOp(ModelWorld world, Model model, String cluster, String volume, boolean full) {
        this.world = world;
        this.model = model;
        this.cluster = cluster;
        this.volume = volume;
        this.full = full;
    }

    /** The same backup again (not forced full): the next operation on the volume after a kill. */
    BackupOp repeat() {
        return new BackupOp(world, model, cluster, volume, false);
    }

    @Override
    public String kind() {
        return "backup";
    }

    @Override
    public String describe() {
        return "backup " + cluster + " " + volume + (full ? " --full" : "");
    }

    @Override
    public String[] args() {
        List<String> args = new ArrayList<>(List.of("backup", cluster, volume, "--json", "-q"));
        if (full) {
            args.add("--full");
        }
        return args.toArray(String[]::new);
    }

    @Override
    public String expect(CliRun run) {
        if (run.exitCode() != 0) {
            throw new AssertionError(describe() + " failed: " + run);
        }
        JsonNode json = ModelWorld.parse(run.out());
        checkChain(json);
        ModelBackup backup = stored(json);
        String kind = backup.kind();
        String parentId = backup.parent();
        // Every older backup's snapshot was removed (or found gone) by the host after this one was stored.
        model.noticedGone(model.of(cluster, volume));
        model.add(backup);
        model.holds(backup, true);
        return backup.shortId() + " " + kind + (parentId == null ? "" : " from " + parentId.substring(0, 8));
    }

    @Override
    public String killed() {
        List<JsonNode> unknown = world.catalog().stream()
                .filter(r -> volume.equals(Invariants.text(r, "volume")) && cluster.equals(Invariants.text(r, "cluster"))
                        && !model.knows(Invariants.text(r, "id")))
                .toList();
        if (unknown.isEmpty()) {
            return "no record";
        }
        if (unknown.size() > 1) {
            throw new AssertionError("one killed backup left " + unknown.size() + " records: " + unknown);
        }
        JsonNode json = unknown.get(0);
        String status = Invariants.text(json, "status");
        String id = Invariants.text(json, "id");
        if ("available".equals(status)) {
            // It finished before the kill: a backup like any other, though the host may not yet have
            // removed the previous backup's snapshot.
            checkChain(json);
            ModelBackup backup = stored(json);
            model.add(backup);
            model.holds(backup, false);
            return "record " + backup.shortId() + " available";
        }
        if (!"creating".equals(status) && !"error".equals(status)) {
            throw new AssertionError("killed " + describe() + " left backup " + id + " " + status);
        }
        // Recovery must make it an error and remove all it left; the previous snapshot stays held.
        model.add(new ModelBackup(id, cluster, volume, Invariants.text(json, "kind"), Invariants.text(json, "parent"),
                Invariants.text(json, "snapshot"), null, null, ModelBackup.Status.ERROR));
        return "record " + id.substring(0, 8) + " " + status;
    }

    @Override
    public Scope scope() {
        return Scope.nothing().volume(volume).cluster(cluster);
    }

    /** Checks that the backup is full or incremental (and from which parent) as the model predicts. */
    private void checkChain(JsonNode json) {
        Optional<ModelBackup> parent = expectedParent();
        String kind = Invariants.text(json, "kind");
        String parentId = Invariants.text(json, "parent");
        if (parent.isPresent() && !("incremental".equals(kind) && parent.get().id().equals(parentId))) {
            throw new AssertionError(describe() + " should be incremental from " + parent.get() + " but is " + kind
                    + " (parent " + parentId + "): " + Invariants.text(json, "reason"));
        }
        if (parent.isEmpty() && !"full".equals(kind)) {
            throw new AssertionError(describe() + " should be full but is " + kind + " from " + parentId
                    + ": " + Invariants.text(json, "reason"));
        }
    }

    /** The parent an incremental must have now, or empty when the backup must be full. */
    private Optional<ModelBackup> expectedParent() {
        if (full) {
            return Optional.empty();
        }
        Optional<ModelBackup> newest = model.newestAvailable(cluster, volume);
        Optional<ModelBackup> held = model.held(cluster, volume);
        return newest.isPresent() && held.isPresent() && newest.get().id().equals(held.get().id()) ? newest
                : Optional.empty();
    }

    /** Checks a stored backup's record and its source snapshot's bytes; the model's entry for it. */
    private ModelBackup stored(JsonNode json) {
        String id = Invariants.text(json, "id");
        VolumeContent content = model.content(volume);
        if (!"available".equals(Invariants.text(json, "status"))) {
            throw new AssertionError(describe() + " printed status " + Invariants.text(json, "status"));
        }
        if (json.get("size_bytes").asLong() != content.size()) {
            throw new AssertionError("backup " + id + " records size " + json.get("size_bytes").asLong()
                    + ", the volume has " + content.size());
        }
        String snapshot = Invariants.text(json, "snapshot");
        if (snapshot == null || !snapshot.startsWith("backup." + id + ".snap.")) {
            throw new AssertionError("backup " + id + " records source snapshot " + snapshot);
        }
        VolumeContent.Digest digest = content.digest();
        String sha = world.ceph().sha256(volume + "@" + snapshot);
        if (!sha.equals(digest.hex())) {
            throw new AssertionError("source snapshot " + volume + "@" + snapshot + " holds other bytes than the model"
                    + " wrote (sha256 " + sha + ", expected " + digest.hex() + ")");
        }
        return new ModelBackup(id, cluster, volume, Invariants.text(json, "kind"), Invariants.text(json, "parent"),
                snapshot, json.path("service_metadata").path("base").asText(null), digest, ModelBackup.Status.AVAILABLE);
    }
}
