package io.cairn.ceph.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupRef;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.store.BackupNames;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The RADOS objects of the {@code backups} pool as an operator reaches them, with the rados CLI: a backup's
 * digests object read back, any object overwritten behind Cairn's back, and the recorded digests compared
 * with what {@code rbd export} reads.
 */
public final class BackupPoolObjects {

    private static final String POOL = "backups";

    private final TestCluster cluster;
    private final Path work;

    /**
     * @param work a directory for the files the rados CLI reads and writes
     */
    public BackupPoolObjects(TestCluster cluster, Path work) {
        this.cluster = cluster;
        this.work = work;
    }

    /** The backup's digests object, read with {@code rados get} and parsed. */
    public ChunkDigests digestsOf(BackupRef backup) {
        String name = BackupNames.digestObject(backup.id());
        return ChunkDigests.parse(get(name), name);
    }

    /** The bytes of an object. */
    public byte[] get(String name) {
        Path file = work.resolve("get-" + name);
        cluster.rados("-p", POOL, "get", name, file.toString());
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} as the whole object {@code name}, with {@code rados put}. */
    public void put(String name, byte[] bytes) {
        cluster.rados("-p", POOL, "put", name, write("put-" + name, bytes).toString());
    }

    /** Writes {@code length} random bytes over an object at {@code offset}, as someone might with the rados CLI. */
    public void overwrite(String object, int offset, int length) {
        byte[] garbage = new byte[length];
        new Random(offset).nextBytes(garbage);
        Path file = write("garbage-" + object + "-" + offset, garbage);
        cluster.rados("-p", POOL, "put", "--offset", Integer.toString(offset), object, file.toString());
    }

    /** The recorded digests equal the SHA-256 of each chunk of {@code imageSpec} (an image at a snapshot) as {@code rbd export} reads it. */
    public void assertDigestsOf(String imageSpec, ChunkDigests recorded) {
        List<String> exported = cluster.chunkSha256s(imageSpec, recorded.chunkSize());
        assertEquals(exported.size(), recorded.count(), "chunks of " + imageSpec);
        for (int chunk = 0; chunk < recorded.count(); chunk++) {
            String expected = exported.get(chunk);
            if (expected == null) {
                assertTrue(recorded.isZero(chunk), imageSpec + " chunk " + chunk + " reads as zeros but is recorded as "
                        + recorded.describe(chunk));
            } else {
                assertTrue(recorded.matches(chunk, HexFormat.of().parseHex(expected)), imageSpec + " chunk " + chunk
                        + ": recorded " + recorded.describe(chunk) + ", rbd export reads " + expected);
            }
        }
    }

    private Path write(String name, byte[] bytes) {
        Path file = work.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
