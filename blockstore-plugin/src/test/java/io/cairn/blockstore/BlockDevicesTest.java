package io.cairn.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block devices as volumes and as restore targets, on real loop devices ({@code losetup}; the test
 * machines run as root, and the test fails, never skips, when a loop device cannot be attached): a
 * symlink in volumes_dir names the device, its size comes from sysfs, and a restore into a device
 * writes it over.
 */
class BlockDevicesTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    @Test
    void aBlockDeviceIsBackedUpAndRestoredByteForByte() throws Exception {
        byte[] content = new byte[8 * MIB];
        new Random(9).nextBytes(content);
        Files.write(work.resolve("disk.raw"), content);
        Files.write(work.resolve("target.raw"), new byte[8 * MIB]);
        String source = attach(work.resolve("disk.raw"));
        String target = null;
        try {
            target = attach(work.resolve("target.raw"));
            BlockStoreFixture fixture = new BlockStoreFixture(work, Map.of());
            Files.createSymbolicLink(work.resolve("volumes/disk1"), Path.of(source));
            BlockStoreBackend backend = new BlockStoreBackend();
            try (BackendSession session = backend.open("lab", backend.options().validate(fixture.options()))) {
                assertEquals(List.of(new VolumeRef("disk1")), session.volumeListing().orElseThrow().list(""),
                        "a symlink to a block device is a volume");
                VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef("disk1")));
                assertEquals(content.length, snapshot.sizeBytes(), "the device's size, from sysfs");
                TransferResult result = session.transfers().transfer(TransferRequest.full(snapshot));
                BackupRef backup = new BackupRef(snapshot.backupId(), snapshot.volume(), result.metadata(), Optional.of(snapshot),
                        List.of());

                session.restores().restore(new RestoreRequest(backup, new VolumeRef("disk1-copy.img"), false, ProgressListener.NONE));
                assertArrayEquals(content, Files.readAllBytes(work.resolve("volumes/disk1-copy.img")));

                RestoreResult intoDevice = session.restores().restore(new RestoreRequest(backup, new VolumeRef("file:" + target),
                        false, ProgressListener.NONE));
                assertEquals(content.length, intoDevice.targetSizeBytes());
                assertArrayEquals(content, readDevice(target, content.length));
            }
        } finally {
            Files.deleteIfExists(work.resolve("volumes/disk1"));
            detach(source);
            if (target != null) {
                detach(target);
            }
        }
    }

    private static String attach(Path file) throws Exception {
        Process losetup = new ProcessBuilder("losetup", "--find", "--show", file.toString()).redirectErrorStream(true).start();
        String out = new String(losetup.getInputStream().readAllBytes()).strip();
        assertTrue(losetup.waitFor(60, TimeUnit.SECONDS) && losetup.exitValue() == 0,
                "cannot attach a loop device (losetup; run as root): " + out);
        return out;
    }

    private static void detach(String device) throws Exception {
        new ProcessBuilder("losetup", "--detach", device).start().waitFor(60, TimeUnit.SECONDS);
    }

    private static byte[] readDevice(String device, int length) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(device))) {
            return in.readNBytes(length);
        }
    }
}
