package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests recorded at backup time are those of the restore point as the rbd CLI reads it, chunk by
 * chunk (64 KiB), through a chain with partial writes, explicit zeros, discards, a grow and a shrink, with
 * both transfers; and verify finds an object of a base image overwritten or removed behind Cairn's back
 * with the rados CLI, naming the byte ranges to the chunk, also in samples.
 */
class VerifyFindsDamageTest {

    private static final long MIB = 1 << 20;
    /** The chunk of a new chain's digests on every volume here (up to 8 GiB). */
    private static final int CHUNK = 64 << 10;

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 11);
    }

    @AfterAll
    static void closeVolumes() {
        volumes.close();
    }

    @Test
    void nativeTransfersRecordTheDigestsOfTheirRestorePoints() {
        chainWithDigests("digests-native", Map.of());
    }

    @Test
    void rbdCliTransfersRecordTheDigestsOfTheirRestorePoints() {
        chainWithDigests("digests-cli", Map.of("transfer", "rbd-cli"));
    }

    private void chainWithDigests(String image, Map<String, Object> options) {
        String spec = volumes.create(image, 40 * MIB);
        try (BackendSession session = CephSessions.open(cluster, options)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            volumes.writeRandom(image, 0, (int) (5 * MIB));
            volumes.writeRandom(image, 9 * MIB + 4096, 300_000);
            volumes.writeZeros(image, 20 * MIB, (int) (2 * MIB));
            checkDigests(session, chain.full());

            volumes.scatterRandomWrites(image, 40 * MIB, 20, 65536);
            volumes.discard(image, MIB, 3 * MIB);
            volumes.discard(image, 8 * MIB, 4 * MIB);
            StoredBackup scattered = chain.incremental();
            checkDigests(session, scattered);
            if (!options.containsKey("transfer")) {
                // What the diff lists as data, each extent widened to whole 64 KiB chunks: about what changed
                // (with 4 MiB chunks the 20 scattered writes alone read up to 40 MiB).
                String base = "backups/" + scattered.ref().metadata().get("base").orElseThrow();
                long wholeChunks = wholeChunksOfDiff(base, chain.backups().get(0).snapshot(), scattered.snapshot());
                assertTrue(scattered.result().bytesRead() <= wholeChunks, "read " + scattered.result().bytesRead()
                        + " bytes, more than the diff's " + wholeChunks + " in whole chunks");
            }

            volumes.resize(image, 70 * MIB + 12345);
            volumes.writeRandom(image, 60 * MIB, (int) (2 * MIB));
            checkDigests(session, chain.incremental());

            volumes.resize(image, 30 * MIB);
            volumes.writeZeros(image, 0, (int) MIB);
            checkDigests(session, chain.incremental());

            for (StoredBackup backup : chain.backups()) {
                VerifyResult result = verify(session, backup.ref(), true, 100);
                assertEquals(Verdict.INTACT, result.verdict(), backup.ref().id() + ": " + result);
                assertTrue(result.complete(), result.toString());
                boolean newest = backup == chain.newest();
                assertEquals(newest, result.sourceCompared(), "only the newest backup still has its source snapshot: "
                        + result.notes());
            }
            for (StoredBackup backup : chain.backups()) {
                chain.delete(backup);
                assertFalse(cluster.objectExists("backups", BackupNames.digestObject(backup.ref().id())),
                        "the delete removes the digests object");
            }
        }
    }

    /** The bytes of the chunks that the data extents of {@code rbd diff} between two snapshots of an image touch. */
    private static long wholeChunksOfDiff(String spec, String from, String to) {
        Matcher extent = Pattern.compile("\\{\"offset\":(\\d+),\"length\":(\\d+),\"exists\":\"true\"}")
                .matcher(cluster.rbd("diff", "--from-snap", from, spec + "@" + to, "--format", "json"));
        long bytes = 0;
        while (extent.find()) {
            long offset = Long.parseLong(extent.group(1));
            long end = offset + Long.parseLong(extent.group(2));
            bytes += (end + CHUNK - 1) / CHUNK * CHUNK - offset / CHUNK * CHUNK;
        }
        assertTrue(bytes > 0, "rbd diff lists no data from " + from + " to " + to);
        return bytes;
    }

    /** The recorded digests equal those of the base image's snapshot as `rbd export` reads it. */
    private void checkDigests(BackendSession session, StoredBackup backup) {
        ChunkDigests recorded = pool().digestsOf(backup.ref());
        assertEquals(backup.sizeBytes(), recorded.sizeBytes());
        assertEquals(CHUNK, recorded.chunkSize());
        String base = "backups/" + backup.ref().metadata().get("base").orElseThrow();
        pool().assertDigestsOf(base + "@" + backup.snapshot(), recorded);
        assertTrue(backup.ref().resources().stream().anyMatch(r -> r.kind().equals("digest-object") && r.hasIdentity()),
                "the digests object is journaled with its identity: " + backup.ref().resources());
        VerifyResult newest = verify(session, backup.ref(), true, 100);
        assertEquals(Verdict.INTACT, newest.verdict(), newest.toString());
        assertTrue(newest.sourceCompared(), "the source snapshot of the newest backup is compared: " + newest.notes());
    }

    @Test
    void anObjectOverwrittenOrRemovedBehindCairnsBackIsFoundWithItsByteRange() {
        String image = "damaged";
        String spec = volumes.create(image, 32 * MIB);
        volumes.writeRandom(image, 0, (int) (32 * MIB));
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            assertEquals(Verdict.INTACT, verify(session, full.ref(), false, 100).verdict());

            String base = "backups/" + full.ref().metadata().get("base").orElseThrow();
            String baseId = cluster.imageId(base);
            // 64 KiB from 4 KiB into object 2 spans its first two chunks: they, and only they, are named.
            pool().overwrite(TestCluster.dataObject(baseId, 2), 4096, 64 * 1024);
            VerifyResult damaged = verify(session, full.ref(), false, 100);
            assertEquals(Verdict.CORRUPT, damaged.verdict());
            assertEquals(List.of(new DamagedRange(8 * MIB, 2 * CHUNK, "differs from the digest recorded at backup time")),
                    damaged.damaged());
            assertTrue(damaged.complete());

            cluster.rados("-p", "backups", "rm", TestCluster.dataObject(baseId, 5));
            // The object map still lists the removed object, so it is read - as zeros - and differs.
            VerifyResult two = verify(session, full.ref(), false, 100);
            assertEquals(List.of(new DamagedRange(8 * MIB, 2 * CHUNK, "differs from the digest recorded at backup time"),
                    new DamagedRange(20 * MIB, 4 * MIB, "differs from the digest recorded at backup time")),
                    two.damaged(), two.toString());

            // A sample of a quarter checks two of the eight objects' worth of chunks (pieces of one 4 MiB read)
            // each time, and over enough samples finds the damage; it never names a range that is not damaged.
            boolean found = false;
            for (int i = 0; i < 60 && !found; i++) {
                VerifyResult sample = verify(session, full.ref(), false, 25);
                assertEquals(8 * MIB, sample.bytesChecked(), sample.toString());
                assertFalse(sample.complete());
                for (DamagedRange range : sample.damaged()) {
                    assertTrue(range.offset() == 8 * MIB || range.offset() == 20 * MIB, range.toString());
                }
                found = sample.verdict() == Verdict.CORRUPT;
            }
            assertTrue(found, "60 samples of a quarter never met two damaged pieces of eight");
            chain.delete(full);
        }
    }

    @Test
    void withoutDigestsABackupIsComparedWithItsSourceSnapshotOrIsUnverifiable() {
        String image = "no-digests";
        String spec = volumes.create(image, 16 * MIB);
        volumes.writeRandom(image, 0, (int) (6 * MIB));
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            cluster.rados("-p", "backups", "rm", BackupNames.digestObject(full.ref().id()));
            BackupRef unrecorded = withoutDigestResource(full.ref());

            VerifyResult alone = verify(session, unrecorded, false, 100);
            assertEquals(Verdict.UNVERIFIABLE, alone.verdict(), alone.toString());
            assertEquals(0, alone.bytesChecked());
            VerifyResult withSource = verify(session, unrecorded, true, 100);
            assertEquals(Verdict.INTACT, withSource.verdict(), withSource.toString());
            assertTrue(withSource.sourceCompared());

            String base = "backups/" + full.ref().metadata().get("base").orElseThrow();
            pool().overwrite(TestCluster.dataObject(cluster.imageId(base), 1), 0, 64 * 1024);
            VerifyResult corrupt = verify(session, unrecorded, true, 100);
            assertEquals(List.of(new DamagedRange(4 * MIB, CHUNK, "differs from the digest recorded at backup time")),
                    corrupt.damaged());

            // An incremental of a parent without digests reads its whole snapshot for its own. Stored into the
            // damaged base image, it carries the damage of the chunk it did not change - and verify says so.
            volumes.writeRandom(image, 10 * MIB, 4096);
            StoredBackup incremental = chain.incremental();
            ChunkDigests digests = pool().digestsOf(incremental.ref());
            assertEquals(CHUNK, digests.chunkSize());
            pool().assertDigestsOf(spec + "@" + incremental.snapshot(), digests);
            VerifyResult inherited = verify(session, incremental.ref(), true, 100);
            assertEquals(List.of(new DamagedRange(4 * MIB, CHUNK, "differs from the digest recorded at backup time")),
                    inherited.damaged(), inherited.toString());
            chain.delete(incremental);
            chain.delete(full);
        }
    }

    @Test
    void aDamagedDigestsObjectIsNotTrusted() {
        String image = "bad-digests";
        String spec = volumes.create(image, 8 * MIB);
        volumes.writeRandom(image, 0, (int) MIB);
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            String name = BackupNames.digestObject(full.ref().id());
            byte[] bytes = pool().get(name);
            bytes[bytes.length / 2] ^= 1;
            pool().put(name, bytes);
            VerifyResult result = verify(session, withoutDigestResource(full.ref()), false, 100);
            assertEquals(Verdict.UNVERIFIABLE, result.verdict(), result.toString());
            assertTrue(result.notes().stream().anyMatch(n -> n.contains("damaged")), result.notes().toString());
            VerifyResult recorded = verify(session, full.ref(), false, 100);
            assertTrue(recorded.notes().stream().anyMatch(n -> n.contains("not used")), recorded.notes().toString());
            chain.delete(full);
        }
    }

    @Test
    void withoutRecordDigestsNoDigestsAreStoredAndIncrementalsStillRestore() {
        String image = "no-record";
        String spec = volumes.create(image, 16 * MIB);
        volumes.writeRandom(image, 0, (int) (5 * MIB));
        try (BackendSession session = CephSessions.open(cluster, Map.of("record_digests", false))) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            volumes.writeRandom(image, 6 * MIB + 4096, 8192);
            StoredBackup incremental = chain.incremental();
            for (StoredBackup backup : chain.backups()) {
                assertFalse(cluster.objectExists("backups", BackupNames.digestObject(backup.ref().id())));
                assertEquals(Verdict.UNVERIFIABLE, verify(session, backup.ref(), false, 100).verdict());
            }
            assertTrue(incremental.result().bytesRead() < 4 << 20, "not the whole chunk, only what the diff lists: "
                    + incremental.result());
            assertEquals(Verdict.INTACT, verify(session, incremental.ref(), true, 100).verdict(),
                    "compared with its source snapshot instead");
            VolumeRef target = new VolumeRef("volumes/no-record-restore");
            session.restores().restore(new RestoreRequest(incremental.ref(), target, false, ProgressListener.NONE));
            assertEquals(incremental.sha256(), cluster.sha256(target.locator()));
            cluster.rbd("rm", "--no-progress", target.locator());
            chain.delete(incremental);
            chain.delete(full);
        }
    }

    private static VerifyResult verify(BackendSession session, BackupRef backup, boolean source, double percent) {
        return session.verification().orElseThrow().verify(new VerifyRequest(backup, source, percent, ProgressListener.NONE));
    }

    private static BackupRef withoutDigestResource(BackupRef ref) {
        return new BackupRef(ref.id(), ref.volume(), ref.metadata(), ref.snapshot(),
                ref.resources().stream().filter(r -> !r.kind().equals("digest-object")).toList());
    }

    private BackupPoolObjects pool() {
        return new BackupPoolObjects(cluster, work);
    }
}
