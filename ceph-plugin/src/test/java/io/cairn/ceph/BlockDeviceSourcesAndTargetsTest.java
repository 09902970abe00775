package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.ceph.file.FileVolume;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.LoopDevice;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block device as a backup source (its size comes from sysfs, not its file length of 0) and as a
 * restore target (never truncated: too small is refused, data is written over only when asked, the
 * part past the backup is zeroed).
 */
class BlockDeviceSourcesAndTargetsTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path backingFile(String name, int size, long seed) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(size);
            byte[] data = new byte[MIB];
            new Random(seed).nextBytes(data);
            out.seek(MIB);
            out.write(data);
        }
        return file;
    }

    @Test
    void blockDeviceRoundTrip() throws Exception {
        TestCluster cluster = TestCluster.primary();
        try (BackendSession session = CephSessions.open(cluster, Map.of("chunk_size", "2MiB"));
             LoopDevice source = LoopDevice.attach(backingFile("source.img", 6 * MIB, 1));
             LoopDevice small = LoopDevice.attach(backingFile("small.img", 4 * MIB, 2));
             LoopDevice large = LoopDevice.attach(backingFile("large.img", 8 * MIB, 3))) {
            assertEquals(6L * MIB, new FileVolume(source.path()).size(), "size from sysfs");

            StoredBackup backup = new BackupChain(session, cluster, "file:" + source.path()).full();
            assertEquals(6L * MIB, backup.sizeBytes());

            String smallBefore = sha256(small.path(), 4 * MIB);
            assertThrows(TargetTooSmallException.class, () -> restore(session, backup, small.path(), true));
            assertEquals(smallBefore, sha256(small.path(), 4 * MIB), "nothing written to the small device");

            assertThrows(TargetNotEmptyException.class, () -> restore(session, backup, large.path(), false));
            RestoreResult result = restore(session, backup, large.path(), true);
            assertEquals(8L * MIB, result.targetSizeBytes(), "a device keeps its size");
            assertEquals(backup.sha256(), sha256(large.path(), 6 * MIB));
            assertEquals(zerosSha256(2 * MIB), sha256Range(large.path(), 6L * MIB, 2 * MIB),
                    "the part past the backup is zeroed");
        }
    }

    private static RestoreResult restore(BackendSession session, StoredBackup backup, Path device, boolean overwrite) {
        return session.restores().restore(
                new RestoreRequest(backup.ref(), VolumeRef.ofFile(device), overwrite, ProgressListener.NONE));
    }

    private static String sha256(Path path, int length) throws Exception {
        return sha256Range(path, 0, length);
    }

    private static String zerosSha256(int length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(new byte[length]);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256Range(Path path, long offset, int length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(path)) {
            in.skipNBytes(offset);
            digest.update(in.readNBytes(length));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
