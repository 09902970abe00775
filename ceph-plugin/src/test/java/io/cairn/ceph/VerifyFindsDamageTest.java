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
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests recorded at backup time are those of the restore point as the rbd CLI reads it, chunk by
 * chunk, through a chain with partial writes, explicit zeros, discards, a grow and a shrink, with both
 * transfers; and verify finds an object of a base image overwritten or removed behind Cairn's back with
 * the rados CLI, naming the byte ranges, also in samples.
 */
class VerifyFindsDamageTest {

    private static final long MIB = 1 << 20;
    private static final int CHUNK = 4 << 20;

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
            checkDigests(session, chain.full(), image);

            volumes.scatterRandomWrites(image, 40 * MIB, 20, 65536);
            volumes.discard(image, MIB, 3 * MIB);
            volumes.discard(image, 8 * MIB, 4 * MIB);
            checkDigests(session, chain.incremental(), image);

            volumes.resize(image, 70 * MIB + 12345);
            volumes.writeRandom(image, 60 * MIB, (int) (2 * MIB));
            checkDigests(session, chain.incremental(), image);

            volumes.resize(image, 30 * MIB);
            volumes.writeZeros(image, 0, (int) MIB);
            checkDigests(session, chain.incremental(), image);

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

    /** The recorded digests equal those of the base image's snapshot as `rbd export` reads it. */
    private void checkDigests(BackendSession session, StoredBackup backup, String image) {
        ChunkDigests recorded = recordedDigests(backup.ref());
        assertEquals(backup.sizeBytes(), recorded.sizeBytes());
        assertEquals(CHUNK, recorded.chunkSize());
        String base = "backups/" + backup.ref().metadata().get("base").orElseThrow();
        List<String> exported = cluster.chunkSha256s(base + "@" + backup.snapshot(), CHUNK);
        assertEquals(exported.size(), recorded.count(), "chunks of " + base);
        for (int chunk = 0; chunk < recorded.count(); chunk++) {
            String expected = exported.get(chunk);
            if (expected == null) {
                assertTrue(recorded.isZero(chunk), image + " chunk " + chunk + " reads as zeros but is recorded as "
                        + recorded.describe(chunk));
            } else {
                assertTrue(recorded.matches(chunk, HexFormat.of().parseHex(expected)), image + " chunk " + chunk
                        + ": recorded " + recorded.describe(chunk) + ", rbd export reads " + expected);
            }
        }
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
            overwriteObject(TestCluster.dataObject(baseId, 2), 4096);
            VerifyResult damaged = verify(session, full.ref(), false, 100);
            assertEquals(Verdict.CORRUPT, damaged.verdict());
            assertEquals(List.of(new DamagedRange(8 * MIB, 4 * MIB, "differs from the digest recorded at backup time")),
                    damaged.damaged());
            assertTrue(damaged.complete());

            cluster.rados("-p", "backups", "rm", TestCluster.dataObject(baseId, 5));
            VerifyResult two = verify(session, full.ref(), false, 100);
            assertEquals(List.of(8 * MIB, 20 * MIB), two.damaged().stream().map(DamagedRange::offset).toList(),
                    two.toString());

            // A sample of a quarter checks two of the eight chunks each time, and over enough samples finds the
            // damage; it never names a range that is not damaged.
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
            assertTrue(found, "60 samples of a quarter never met two damaged chunks of eight");
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
            overwriteObject(TestCluster.dataObject(cluster.imageId(base), 1), 0);
            VerifyResult corrupt = verify(session, unrecorded, true, 100);
            assertEquals(List.of(new DamagedRange(4 * MIB, 4 * MIB, "differs from the digest recorded at backup time")),
                    corrupt.damaged());

            // An incremental of a parent without digests reads its whole snapshot for its own. Stored into the
            // damaged base image, it carries the damage of the chunk it did not change - and verify says so.
            volumes.writeRandom(image, 10 * MIB, 4096);
            StoredBackup incremental = chain.incremental();
            ChunkDigests digests = recordedDigests(incremental.ref());
            List<String> source = cluster.chunkSha256s(spec + "@" + incremental.snapshot(), CHUNK);
            for (int chunk = 0; chunk < digests.count(); chunk++) {
                assertTrue(source.get(chunk) == null ? digests.isZero(chunk)
                        : digests.matches(chunk, HexFormat.of().parseHex(source.get(chunk))), "chunk " + chunk);
            }
            VerifyResult inherited = verify(session, incremental.ref(), true, 100);
            assertEquals(List.of(new DamagedRange(4 * MIB, 4 * MIB, "differs from the digest recorded at backup time")),
                    inherited.damaged(), inherited.toString());
            chain.delete(incremental);
            chain.delete(full);
        }
    }

    @Test
    void aDamagedDigestsObjectIsNotTrusted() throws IOException {
        String image = "bad-digests";
        String spec = volumes.create(image, 8 * MIB);
        volumes.writeRandom(image, 0, (int) MIB);
        try (BackendSession session = CephSessions.open(cluster)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            Path junk = work.resolve("junk");
            byte[] bytes = Files.readAllBytes(getObject(BackupNames.digestObject(full.ref().id())));
            bytes[bytes.length / 2] ^= 1;
            Files.write(junk, bytes);
            cluster.rados("-p", "backups", "put", BackupNames.digestObject(full.ref().id()), junk.toString());
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

    private ChunkDigests recordedDigests(BackupRef backup) {
        try {
            String name = BackupNames.digestObject(backup.id());
            return ChunkDigests.parse(Files.readAllBytes(getObject(name)), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path getObject(String name) {
        Path file = work.resolve(name);
        cluster.rados("-p", "backups", "get", name, file.toString());
        return file;
    }

    /** Writes random bytes over a RADOS object of a base image, as someone might with the rados CLI. */
    private void overwriteObject(String object, int offset) {
        try {
            byte[] garbage = new byte[64 * 1024];
            new Random(offset).nextBytes(garbage);
            Path file = work.resolve("garbage-" + object);
            Files.write(file, garbage);
            cluster.rados("-p", "backups", "put", "--offset", Integer.toString(offset), object, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
