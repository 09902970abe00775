package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.api.operation.VerifyResult;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.BackupPoolObjects;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest chunks across a chain's life: a table of 4 MiB chunks written before chunks became smaller still
 * verifies and is carried forward by the incrementals after it, in its own chunks, until a new chain starts
 * in 64 KiB ones; a volume that grows past 8 GiB outgrows 64 KiB chunks, and its next incremental computes
 * its table afresh in 128 KiB ones, which the chain then keeps. Each restore point verifies against its own
 * table, and damage is named in each table's chunks.
 */
class ChainsKeepTheirDigestChunksTest {

    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;
    private static final int OLD_CHUNK = 4 << 20;
    private static final int SMALL_CHUNK = 64 << 10;
    private static final String DIFFERS = "differs from the digest recorded at backup time";

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 17);
    }

    @AfterAll
    static void closeVolumes() {
        volumes.close();
    }

    @Test
    void aTableOf4MiBChunksFromBeforeVerifiesAndIsCarriedForwardUntilTheNextChain() {
        String image = "old-chunks";
        String spec = volumes.create(image, 24 * MIB);
        volumes.writeRandom(image, 0, (int) (24 * MIB));
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            assertEquals(SMALL_CHUNK, pool().digestsOf(full.ref()).chunkSize(), "a new chain: 64 KiB chunks");
            // The full backup as an earlier Cairn stored it: its digests in 4 MiB chunks, their identity recorded.
            String base = "backups/" + full.ref().metadata().get("base").orElseThrow();
            BackupRef oldFull = withOldDigests(full.ref(), base + "@" + full.snapshot());
            assertEquals(OLD_CHUNK, pool().digestsOf(oldFull).chunkSize());
            VerifyResult oldVerified = verify(session, oldFull, 100);
            assertEquals(Verdict.INTACT, oldVerified.verdict(), oldVerified.toString());
            assertEquals(24 * MIB, oldVerified.bytesChecked());

            // Its incremental keeps the parent's 4 MiB chunks: the entries of untouched chunks are the parent's.
            volumes.writeRandom(image, 9 * MIB + 4096, 4096);
            StoredBackup incremental = chain.incremental();
            ChunkDigests carried = pool().digestsOf(incremental.ref());
            assertEquals(OLD_CHUNK, carried.chunkSize(), "a chain keeps its chunks");
            pool().assertDigestsOf(base + "@" + incremental.snapshot(), carried);
            assertTrue(incremental.result().bytesRead() >= OLD_CHUNK, "the 4 MiB chunk the write touched is read whole: "
                    + incremental.result());
            VerifyResult withSource = verifyWithSource(session, incremental.ref());
            assertEquals(Verdict.INTACT, withSource.verdict(), withSource.toString());
            assertTrue(withSource.sourceCompared(), withSource.notes().toString());

            // Damage in an object the incremental did not change is named in the table's own 4 MiB chunks.
            pool().overwrite(TestCluster.dataObject(cluster.imageId(base), 3), 8192, 64 * 1024);
            assertEquals(List.of(new DamagedRange(12 * MIB, OLD_CHUNK, DIFFERS)),
                    verify(session, incremental.ref(), 100).damaged());

            // The next chain is digested in 64 KiB chunks again, and reads about what a write changed.
            StoredBackup next = chain.full();
            assertEquals(SMALL_CHUNK, pool().digestsOf(next.ref()).chunkSize());
            volumes.writeRandom(image, 9 * MIB + 4096, 4096);
            StoredBackup small = chain.incremental();
            assertEquals(SMALL_CHUNK, pool().digestsOf(small.ref()).chunkSize());
            assertTrue(small.result().bytesRead() <= SMALL_CHUNK, small.result().toString());
            assertEquals(Verdict.INTACT, verifyWithSource(session, small.ref()).verdict());
            for (StoredBackup backup : chain.backups()) {
                chain.delete(backup);
            }
        }
    }

    @Test
    void aVolumeThatOutgrowsItsChunksIsDigestedAfreshInLargerOnesWhichTheChainKeeps() {
        String image = "outgrown";
        String spec = volumes.create(image, 8 * GIB);
        volumes.writeRandom(image, 0, (int) (8 * MIB));
        volumes.writeRandom(image, 6 * GIB, (int) MIB);
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            assertEquals(SMALL_CHUNK, pool().digestsOf(full.ref()).chunkSize(), "8 GiB: 64 KiB chunks, 131072 of them");

            volumes.writeRandom(image, MIB + 4096, 4096);
            StoredBackup small = chain.incremental();
            assertEquals(SMALL_CHUNK, pool().digestsOf(small.ref()).chunkSize());
            assertTrue(small.result().bytesRead() <= SMALL_CHUNK, "one 64 KiB chunk read: " + small.result());

            // Grown past 8 GiB: 64 KiB chunks would make more than 131072, so the table is made afresh in 128 KiB
            // ones, from every allocated chunk of the snapshot.
            volumes.resize(image, 8 * GIB + 4 * MIB);
            volumes.writeRandom(image, 8 * GIB, (int) MIB);
            StoredBackup grown = chain.incremental();
            assertEquals(128 << 10, pool().digestsOf(grown.ref()).chunkSize());
            assertTrue(grown.result().bytesRead() >= 10 * MIB, "the snapshot's data read once: " + grown.result());

            volumes.writeRandom(image, 4 * MIB, 4096);
            StoredBackup after = chain.incremental();
            assertEquals(128 << 10, pool().digestsOf(after.ref()).chunkSize(), "the chain keeps the new chunks");
            assertTrue(after.result().bytesRead() <= 128 << 10, after.result().toString());

            for (StoredBackup backup : chain.backups()) {
                VerifyResult result = backup == chain.newest() ? verifyWithSource(session, backup.ref())
                        : verify(session, backup.ref(), 100);
                assertEquals(Verdict.INTACT, result.verdict(), backup.ref().id() + ": " + result);
                assertEquals(backup.sizeBytes(), result.bytesChecked());
            }

            // Object 0 was last written by the first incremental, so it is shared by the restore points of that
            // one and the two after it: damage there is named in each one's chunks.
            String base = "backups/" + full.ref().metadata().get("base").orElseThrow();
            pool().overwrite(TestCluster.dataObject(cluster.imageId(base), 0), 64 * 1024 + 4096, 4096);
            assertEquals(Verdict.INTACT, verify(session, full.ref(), 100).verdict(), "the full's object was cloned");
            assertEquals(List.of(new DamagedRange(SMALL_CHUNK, SMALL_CHUNK, DIFFERS)),
                    verify(session, small.ref(), 100).damaged());
            for (StoredBackup larger : List.of(grown, after)) {
                assertEquals(List.of(new DamagedRange(0, 128 << 10, DIFFERS)), verify(session, larger.ref(), 100).damaged());
            }
            for (StoredBackup backup : chain.backups()) {
                chain.delete(backup);
            }
        }
    }

    private static VerifyResult verify(BackendSession session, BackupRef backup, double percent) {
        return session.verification().orElseThrow().verify(new VerifyRequest(backup, false, percent, ProgressListener.NONE));
    }

    private static VerifyResult verifyWithSource(BackendSession session, BackupRef backup) {
        return session.verification().orElseThrow().verify(new VerifyRequest(backup, true, 100, ProgressListener.NONE));
    }

    /**
     * Replaces a backup's digests object with a table of 4 MiB chunks of its restore point, in the stored form
     * the first Cairn with digests wrote (built here by hand), and returns the backup with that object's
     * identity recorded, as the catalog of that Cairn would hold it.
     */
    private BackupRef withOldDigests(BackupRef backup, String restorePoint) {
        List<String> exported = cluster.chunkSha256s(restorePoint, OLD_CHUNK);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        stored.writeBytes(("cairn-digests 1\nbackup_id " + backup.id().value() + "\nalgorithm sha256\nchunk_size "
                + OLD_CHUNK + "\nsize_bytes " + 24 * MIB + "\nchunks " + exported.size() + "\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (String chunk : exported) {
            stored.writeBytes(chunk == null ? new byte[32] : HexFormat.of().parseHex(chunk));
        }
        byte[] trailer = sha256(stored.toByteArray());
        stored.writeBytes(trailer);
        pool().put(BackupNames.digestObject(backup.id()), stored.toByteArray());
        String identity = ChunkDigests.identityOf(trailer);
        List<StoredResource> resources = backup.resources().stream()
                .map(r -> r.kind().equals("digest-object") ? r.withIdentity(identity) : r).toList();
        return new BackupRef(backup.id(), backup.volume(), backup.metadata(), backup.snapshot(), resources);
    }

    private BackupPoolObjects pool() {
        return new BackupPoolObjects(cluster, work);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
