package io.cairn.host.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What happens to the volumes and pools outside Cairn: writes (random data, explicit zeros, discards) and
 * resizes of the source volumes, and objects others create that look like Cairn's - foreign backup
 * snapshots, base-like images and metadata-like objects - or an operator removing (and re-creating under
 * the same name) a snapshot Cairn holds.
 */
final class VolumeSteps {

    /** Volumes stay between these sizes, so that a run's data fits the test cluster's RAM. */
    static final long MIN_SIZE = 1 << 20;
    static final long MAX_SIZE = 40L << 20;

    private final ModelWorld world;
    private final Model model;
    private final Random random;

    VolumeSteps(ModelWorld world, Model model, Random random) {
        this.world = world;
        this.model = model;
        this.random = random;
    }

    /** Creates {@code volume} of {@code size} bytes and fills part of it. */
    void create(String volume, long size) {
        world.ceph().createImage(volume, size);
        model.addVolume(volume, VolumeContent.zeros(size));
        write(volume, 1 + random.nextInt(6));
    }

    /**
     * One to {@code maxExtents} random extents: 60 % random data, 20 % explicit zeros, 20 % discards; then
     * the volume is read back and must hold what the model wrote.
     */
    String write(String volume, int maxExtents) {
        VolumeContent content = model.content(volume);
        int extents = 1 + random.nextInt(maxExtents);
        List<String> done = new ArrayList<>();
        Writes writes = new Writes(volume);
        for (int i = 0; i < extents; i++) {
            long length = Math.min(extentLength(), content.size());
            boolean aligned = random.nextInt(10) > 0;
            long offset = (long) (random.nextDouble() * (content.size() - length));
            if (aligned) {
                offset = offset / 512 * 512;
            }
            int kind = random.nextInt(10);
            writes.before(offset, length);
            if (kind < 6) {
                byte[] data = new byte[(int) length];
                random.nextBytes(data);
                writes.stream().write(offset, data);
                content.write(offset, data);
                done.add("data " + range(offset, length));
            } else if (kind < 8) {
                writes.stream().write(offset, new byte[(int) length]);
                content.zero(offset, length);
                done.add("zeros " + range(offset, length));
            } else {
                writes.stream().discard(offset, length);
                content.zero(offset, length);
                done.add("discard " + range(offset, length));
            }
        }
        writes.apply();
        String sha = world.ceph().sha256(volume);
        if (!sha.equals(content.digest().hex())) {
            throw new AssertionError("after writing " + done + ", " + volume + " holds other bytes than the model wrote");
        }
        return String.join(", ", done);
    }

    /**
     * The diff streams of one write step. {@code rbd import-diff} issues a stream's records in parallel,
     * as a real diff never overlaps itself: an extent overlapping one already in the stream goes into the
     * next stream, applied after.
     */
    private final class Writes {
        private final String volume;
        private final Path file = world.dir().resolve("write.diff");
        private final List<long[]> ranges = new ArrayList<>();
        private RbdDiff stream;

        Writes(String volume) {
            this.volume = volume;
        }

        void before(long offset, long length) {
            if (ranges.stream().anyMatch(r -> offset < r[0] + r[1] && r[0] < offset + length)) {
                apply();
            }
            ranges.add(new long[] {offset, length});
        }

        RbdDiff stream() {
            if (stream == null) {
                stream = new RbdDiff(file);
            }
            return stream;
        }

        void apply() {
            if (stream == null) {
                return;
            }
            stream.close();
            stream = null;
            ranges.clear();
            world.ceph().importDiff(volume, file);
            try {
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** From 512 bytes to 4 MiB, small ones more often. */
    private long extentLength() {
        return switch (random.nextInt(4)) {
            case 0 -> 512L * (1 + random.nextInt(8));
            case 1 -> 4096L * (1 + random.nextInt(16));
            case 2 -> 65536L * (1 + random.nextInt(16));
            default -> (1L << 20) * (1 + random.nextInt(4));
        };
    }

    /** Grows or shrinks the volume by up to a third of its size (within the bounds), in 4 KiB or 512 B units. */
    String resize(String volume) {
        VolumeContent content = model.content(volume);
        long unit = random.nextInt(4) == 0 ? 512 : 4096;
        long change = Math.max(unit, (long) (random.nextDouble() * content.size() / 3) / unit * unit);
        boolean grow = content.size() + change <= MAX_SIZE && (content.size() - change < MIN_SIZE || random.nextBoolean());
        long size = grow ? content.size() + change : content.size() - change;
        world.ceph().resize(volume, size);
        content.resize(size);
        return (grow ? "grown to " : "shrunk to ") + size;
    }

    /** A snapshot named like a backup snapshot of an id this catalog does not know. */
    String foreignSnapshot(String volume) {
        String name = "backup." + UUID.randomUUID() + ".snap." + (1_700_000_000 + random.nextInt(100_000_000)) + ".0";
        String id = world.ceph().createSnapshot(volume, name);
        Foreign.Snapshot snapshot = new Foreign.Snapshot(volume, name, id);
        model.foreignSnapshots().add(snapshot);
        return "created " + snapshot;
    }

    /**
     * An image in a backup pool that looks like a base image - the reference driver's
     * {@code <image>.backup.base} or {@code <image>.backup.<id>} of another catalog - with a backup-like
     * snapshot of its own, or a metadata-like RADOS object.
     */
    String foreignStorage(String cluster, String volume) {
        String pool = world.backupPool(cluster);
        String image = volume.substring(volume.indexOf('/') + 1);
        if (random.nextBoolean()) {
            String name = "backup." + UUID.randomUUID() + ".meta";
            byte[] content = ("{\"foreign\": true, \"by\": \"cinder-backup\"}").getBytes();
            world.ceph().putObject(pool, name, content);
            model.foreignObjects().add(new Foreign.RadosObject(pool, name));
            return "object " + pool + "/" + name;
        }
        String name = image + ".backup." + (random.nextBoolean() ? "base" : UUID.randomUUID().toString());
        if (model.foreignImages().stream().anyMatch(f -> f.pool().equals(pool) && f.name().equals(name))) {
            return "image " + pool + "/" + name + " exists already";
        }
        world.ceph().createImage(pool + "/" + name, 1 << 20);
        String snapshot = "backup." + UUID.randomUUID() + ".snap.1700000000.0";
        world.ceph().createSnapshot(pool + "/" + name, snapshot);
        String id = world.ceph().images(pool, false).stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().id();
        model.foreignImages().add(new Foreign.Image(pool, name, id, List.of(snapshot)));
        return "image " + pool + "/" + name + " with snapshot " + snapshot;
    }

    /**
     * An operator removes the snapshot the host holds for a cluster file's newest backup - and, half the
     * time, after a write creates one with the same name (an impostor, with another snapshot id). The
     * next backup must not diff from it: it is full, and the impostor survives.
     */
    String takeAwayHeldSnapshot(ModelBackup backup) {
        world.ceph().removeSnapshot(backup.volume(), backup.snapshot());
        model.takenAway(backup);
        if (random.nextBoolean()) {
            return "removed " + backup.volume() + "@" + backup.snapshot();
        }
        String written = write(backup.volume(), 2);
        String id = world.ceph().createSnapshot(backup.volume(), backup.snapshot());
        model.foreignSnapshots().add(new Foreign.Snapshot(backup.volume(), backup.snapshot(), id));
        return "replaced " + backup.volume() + "@" + backup.snapshot() + " by an impostor (snap id " + id
                + ") after writing " + written;
    }

    private static String range(long offset, long length) {
        return length + "@" + offset;
    }
}
