package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as sources (full backups in chunks, zero chunks skipped) and as restore targets, in both
 * directions between files and RBD images, compared by checksum.
 */
class FileSourcesAndTargetsTest {

    private static final int MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 5);
        // A small chunk_size, so the file is copied in many chunks, some all zeros.
        session = CephSessions.open(cluster, Map.of("chunk_size", "1MiB", "parallel_ios", 4));
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    private Path imageFile(String name, int size) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(name.hashCode());
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(size);
            for (long offset : new long[] {0, 3L * MIB + 100, 7L * MIB}) {
                byte[] data = new byte[MIB / 2];
                random.nextBytes(data);
                out.seek(offset);
                out.write(data);
            }
        }
        return file;
    }

    @Test
    void fileBackupRestoresToAFileAndToAnImageByteIdentical() throws IOException {
        Path source = imageFile("disk.img", 9 * MIB + 4096);
        StoredBackup backup = new BackupChain(session, cluster, "file:" + source).full();
        assertEquals(BackupKind.FULL, backup.result().kind());
        assertTrue(backup.result().bytesWritten() < 3L * MIB, "zero chunks are not written: "
                + backup.result().bytesWritten());

        Path restored = dir.resolve("restored.img");
        session.restores().restore(new RestoreRequest(backup.ref(), VolumeRef.ofFile(restored), false,
                ProgressListener.NONE));
        assertEquals(backup.sha256(), TestCluster.sha256(restored));
        assertEquals(Files.size(source), Files.size(restored));

        session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef("volumes/from-file"), false,
                ProgressListener.NONE));
        assertEquals(backup.sha256(), cluster.sha256("volumes/from-file"));
    }

    @Test
    void imageBackupRestoresToAFileOnlyOverwritingWhenAsked() throws IOException {
        String spec = volumes.create("to-file", 12L * MIB);
        volumes.writeRandom("to-file", 2L * MIB, 3 * MIB);
        volumes.writeRandom("to-file", 11L * MIB + 7, 1000);
        StoredBackup backup = new BackupChain(session, cluster, spec).full();

        Path target = dir.resolve("existing.img");
        Files.write(target, new byte[] {1, 2, 3});
        VolumeRef ref = VolumeRef.ofFile(target);
        assertThrows(TargetNotEmptyException.class, () -> session.restores()
                .restore(new RestoreRequest(backup.ref(), ref, false, ProgressListener.NONE)));
        assertEquals(3, Files.size(target), "the file is untouched");

        session.restores().restore(new RestoreRequest(backup.ref(), ref, true, ProgressListener.NONE));
        assertEquals(backup.sha256(), TestCluster.sha256(target));
    }
}
