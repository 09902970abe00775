package io.cairn.ceph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.ceph.ops.CephTransfer;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import io.cairn.tck.BackendFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The Ceph plugin's hands for the contract test kit, on the real test cluster: volumes are images of
 * pool {@code volumes} written through rados-java (a binding independent of the plugin's), read back
 * with {@code rbd export}; backups go to a pool of their own, {@code tck-backups}, whose images,
 * snapshots and RADOS objects are listed with the {@code rbd} and {@code rados} CLIs.
 */
final class CephFixture implements BackendFixture {

    static final String BACKUP_POOL = "tck-backups";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestCluster cluster;
    private final TestVolumes volumes;
    private final String adminKey;

    CephFixture(TestCluster cluster) {
        this.cluster = cluster;
        Command.Result created = TestCluster.run(List.of("ceph", "--conf", cluster.conf().toString(), "osd", "pool", "create",
                BACKUP_POOL, "8"), 120);
        if (created.exitCode() != 0) {
            throw new IllegalStateException("cannot create pool " + BACKUP_POOL + ": " + created.stderr());
        }
        cluster.rbd("pool", "init", BACKUP_POOL);
        this.volumes = new TestVolumes(cluster, "volumes", 12);
        try {
            this.adminKey = Files.readAllLines(cluster.adminKeyring()).stream().map(String::strip)
                    .filter(line -> line.startsWith("key")).map(line -> line.substring(line.indexOf('=') + 1).strip())
                    .findFirst().orElseThrow(() -> new IllegalStateException("no key in " + cluster.adminKeyring()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BackendDescriptor descriptor() {
        return new CephBackendDescriptor();
    }

    @Override
    public Map<String, Object> options() {
        // The admin's key itself, given as the secret options, so the kit can check that neither is shown.
        return Map.of("conf", cluster.conf().toString(), "user", "admin", "key", adminKey, "source_key", adminKey,
                "pool", BACKUP_POOL);
    }

    @Override
    public VolumeRef createVolume(String name, long sizeBytes) {
        return new VolumeRef(volumes.create(name, sizeBytes));
    }

    @Override
    public VolumeRef volumeName(String name) {
        return new VolumeRef("volumes/" + name);
    }

    @Override
    public void write(VolumeRef volume, long offset, byte[] data) {
        volumes.write(image(volume), offset, data);
    }

    @Override
    public byte[] read(VolumeRef volume) {
        ProcessBuilder builder = new ProcessBuilder("rbd", "--conf", cluster.conf().toString(), "export", volume.locator(), "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            byte[] data;
            try (InputStream in = process.getInputStream()) {
                data = in.readAllBytes();
            }
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rbd export " + volume + " failed");
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void removeVolume(VolumeRef volume) {
        if (cluster.imageExists(volume.locator())) {
            cluster.tryRbd("snap", "purge", "--no-progress", volume.locator());
            cluster.tryRbd("rm", "--no-progress", volume.locator());
        }
    }

    @Override
    public boolean snapshotExists(VolumeRef volume, String snapshotName) {
        return cluster.imageExists(volume.locator()) && cluster.snapshots(volume.locator()).contains(snapshotName);
    }

    @Override
    public void removeSnapshot(VolumeSnapshot snapshot) {
        cluster.rbd("snap", "rm", "--no-progress", snapshot.volume().locator() + "@" + snapshot.name());
    }

    @Override
    public void replaceSnapshotWithImpostor(VolumeSnapshot snapshot) {
        removeSnapshot(snapshot);
        cluster.rbd("snap", "create", "--no-progress", snapshot.volume().locator() + "@" + snapshot.name());
    }

    @Override
    public void destroyRestorePoint(BackupRef backup) {
        // The restore point of a backup is the snapshot of the source snapshot's name on its base image.
        cluster.rbd("snap", "rm", "--no-progress", BACKUP_POOL + "/" + baseImage(backup) + "@"
                + backup.snapshot().orElseThrow().name());
    }

    @Override
    public void damageStoredData(BackupRef backup, long offset) {
        // 64 KiB of random bytes over the base image's RADOS object holding the offset. The newest snapshot of
        // a base shares its objects with the head until the head is written, so this changes the restore point.
        String base = BACKUP_POOL + "/" + baseImage(backup);
        long objectSize = 4L << 20;
        byte[] garbage = new byte[65536];
        new java.util.Random(offset).nextBytes(garbage);
        try {
            java.nio.file.Path file = Files.createTempFile("tck-damage", ".bin");
            Files.write(file, garbage);
            cluster.rados("-p", BACKUP_POOL, "put", "--offset", Long.toString(offset % objectSize / 65536 * 65536),
                    TestCluster.dataObject(cluster.imageId(base), offset / objectSize), file.toString());
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<VolumeRef> backupStorageTargets(BackupRef backup) {
        return List.of(new VolumeRef(BACKUP_POOL + "/" + baseImage(backup)));
    }

    @Override
    public Set<String> storageObjects() {
        Set<String> names = new TreeSet<>();
        try {
            for (JsonNode entry : JSON.readTree(cluster.rbd("ls", "-l", "--format", "json", BACKUP_POOL))) {
                String image = entry.get("image").asText();
                names.add(BACKUP_POOL + "/" + image + (entry.hasNonNull("snapshot") ? "@" + entry.get("snapshot").asText() : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.Result objects = TestCluster.run(List.of("rados", "--conf", cluster.conf().toString(), "-p", BACKUP_POOL,
                "ls"), 120);
        if (objects.exitCode() != 0) {
            throw new IllegalStateException("rados ls " + BACKUP_POOL + " failed: " + objects.stderr());
        }
        for (String object : objects.stdout().split("\n")) {
            // The plugin's own objects (metadata objects); librbd's internals belong to the images listed above.
            if (!object.isBlank() && !object.startsWith("rbd_") && !object.startsWith("journal")) {
                names.add(BACKUP_POOL + "/" + object.strip());
            }
        }
        return names;
    }

    private static String baseImage(BackupRef backup) {
        return backup.metadata().get(CephTransfer.BASE)
                .orElseThrow(() -> new IllegalStateException(backup.id() + " has no base image in its metadata"));
    }

    private static String image(VolumeRef volume) {
        return volume.locator().substring(volume.locator().indexOf('/') + 1);
    }

    @Override
    public void close() {
        volumes.close();
    }
}
