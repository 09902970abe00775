package io.cairn.ceph.ops;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.api.operation.VerifyResult;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.digest.ChunkHashing;
import io.cairn.ceph.digest.ChunkReader;
import io.cairn.ceph.digest.ChunkSample;
import io.cairn.ceph.digest.ChunkSizes;
import io.cairn.ceph.digest.DamageReport;
import io.cairn.ceph.digest.DigestPlan;
import io.cairn.ceph.digest.DigestRecorder;
import io.cairn.ceph.digest.Hashers;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdBlocks;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.store.CephServiceMetadata;
import io.cairn.ceph.store.DigestObjects;
import io.cairn.ceph.store.RestorePoint;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a backup: reads its restore point (the base image's snapshot) chunk by chunk with many reads
 * in flight, hashes on every core, and compares with the digests recorded while it was written
 * ({@code backup.<id>.digests}). Chunks the restore point holds no object for are not read: they read
 * as zeros, and match only where zeros were recorded. With a source comparison the backup's source
 * snapshot - by name and snapshot id - is read and compared with the same digests.
 *
 * <p>Damage is reported, never repaired; nothing is written.
 */
public final class CephVerify implements VerifyOperation {

    static final String DIFFERS = "differs from the digest recorded at backup time";
    static final String NO_DATA = "holds no data where the backup recorded data";
    static final String SOURCE_DIFFERS = "the source snapshot differs from the digest recorded at backup time";

    private final CephConnections connections;
    private final CephErrors errors;

    public CephVerify(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
        BackupRef backup = request.backup();
        try {
            return verifyLocated(request, backup);
        } catch (NativeCallException e) {
            throw errors.translate(e, "verify of backup " + backup.id());
        }
    }

    private VerifyResult verifyLocated(VerifyRequest request, BackupRef backup) {
        List<String> notes = new ArrayList<>();
        Optional<ChunkDigests> recorded = recordedDigests(backup, notes);
        RestorePoint point;
        try {
            point = RestorePoint.locate(connections, backup);
        } catch (BackupDataMissingException e) {
            long size = recorded.map(ChunkDigests::sizeBytes).orElse(0L);
            request.progress().onProgress(0, 0);
            return new VerifyResult(Verdict.CORRUPT, size, size, 0, false,
                    List.of(new VerifyResult.DamagedRange(0, Math.max(1, size), "the restore point is gone: "
                            + e.getMessage())), notes);
        }
        Optional<SourceSnapshot> source = request.compareSource() ? sourceSnapshot(backup, notes) : Optional.empty();
        try (Hashers hashers = Hashers.perCore();
             RbdImageHandle restorePoint = connections.openBackupImage(point.baseImage(), point.snapshot(), true)
                     .orElseThrow(() -> new BackupDataMissingException("restore point " + point.baseImage() + "@"
                             + point.snapshot() + " vanished"));
             SourceSnapshot opened = source.orElse(null)) {
            int chunkSize = chunkSizeOf(recorded, restorePoint);
            ChunkReader reader = new ChunkReader(chunkSize, connections.settings().parallelIos(), hashers);
            ChunkDigests expected;
            if (recorded.isPresent()) {
                expected = recorded.get();
            } else if (opened != null) {
                notes.add("no digests were recorded for backup " + backup.id() + ": compared with its source snapshot"
                        + " " + opened.describe() + " instead");
                expected = digestsOf(opened.image(), backup, chunkSize, reader, hashers);
            } else {
                notes.add("no digests were recorded for backup " + backup.id() + " (it was stored before Cairn"
                        + " recorded them): nothing to compare its restore point with"
                        + (request.compareSource() ? "" : "; comparing with its source snapshot may still be possible"));
                request.progress().onProgress(0, 0);
                return new VerifyResult(Verdict.UNVERIFIABLE, point.sizeBytes(), 0, 0, false, List.of(), notes);
            }
            DamageReport damage = new DamageReport();
            if (expected.sizeBytes() != point.sizeBytes()) {
                long from = Math.min(expected.sizeBytes(), point.sizeBytes());
                damage.add(from, Math.max(1, Math.max(expected.sizeBytes(), point.sizeBytes()) - from),
                        "the restore point holds " + point.sizeBytes() + " bytes, the digests describe "
                                + expected.sizeBytes());
            }
            int[] chosen = ChunkSample.choose(expected.count(), ChunkSample.chunksPerPiece(expected.chunkSize()),
                    request.samplePercent(), new SecureRandom());
            long checked = 0;
            for (int chunk : chosen) {
                checked += expected.lengthOf(chunk);
            }
            ProgressListener progress = request.progress();
            long total = checked * (opened != null && recorded.isPresent() ? 2 : 1);
            long firstPass = checked;
            long read = check(restorePoint, point.sizeBytes(), expected, chosen, reader, damage, DIFFERS, NO_DATA,
                    (done, all) -> progress.onProgress(done, total));
            if (opened != null && recorded.isPresent()) {
                read += check(opened.image(), point.sizeBytes(), expected, chosen, reader, damage, SOURCE_DIFFERS,
                        SOURCE_DIFFERS, (done, all) -> progress.onProgress(firstPass + done, total));
            }
            progress.onProgress(total, total);
            boolean intact = damage.isEmpty();
            return new VerifyResult(intact ? Verdict.INTACT : Verdict.CORRUPT, point.sizeBytes(),
                    Math.min(checked, point.sizeBytes()), read, opened != null, damage.ranges(), notes);
        }
    }

    /**
     * Compares the chosen chunks of {@code image} with {@code expected}: reads those that hold objects,
     * and takes the others for zeros without reading.
     *
     * @return the bytes read
     */
    private long check(RbdImageHandle image, long size, ChunkDigests expected, int[] chosen, ChunkReader reader,
                       DamageReport damage, String differs, String noData, ProgressListener progress) {
        BitSet allocated = chunksHolding(image.allocatedObjects(Math.min(size, expected.sizeBytes())), expected);
        List<ChunkReader.Chunk> toRead = new ArrayList<>();
        for (int chunk : chosen) {
            if (allocated.get(chunk)) {
                toRead.add(new ChunkReader.Chunk(chunk, expected.offsetOf(chunk), expected.lengthOf(chunk)));
            } else if (!expected.isZero(chunk)) {
                damage.add(expected.offsetOf(chunk), expected.lengthOf(chunk), noData);
            }
        }
        reader.read(toRead, new RbdBlocks(image), new ChunkReader.ChunkWork() {
            @Override
            public void read(ChunkReader.Chunk chunk, ByteBuffer data) {
                if (!ChunkHashing.matches(expected, chunk.index(), data, 0, chunk.length())) {
                    damage.add(chunk.offset(), chunk.length(), differs);
                }
            }

            @Override
            public void failed(ChunkReader.Chunk chunk, RuntimeException error) {
                if (error instanceof NativeCallException call && call.errno() != Errno.ETIMEDOUT
                        && call.errno() != Errno.ESHUTDOWN) {
                    damage.add(chunk.offset(), chunk.length(), "cannot be read: " + Errno.describe(-call.errno()));
                    return;
                }
                throw error;
            }
        }, progress);
        return toRead.stream().mapToLong(ChunkReader.Chunk::length).sum();
    }

    private static BitSet chunksHolding(List<Extent> allocated, ChunkDigests table) {
        BitSet chunks = new BitSet(table.count());
        for (Extent extent : allocated) {
            int first = table.chunkAt(extent.offset());
            int last = table.chunkAt(Math.min(extent.end(), table.sizeBytes()) - 1);
            chunks.set(first, Math.min(last, table.count() - 1) + 1);
        }
        return chunks;
    }

    /** The digests of the source snapshot, computed now in chunks of {@code chunkSize}, when none were recorded. */
    private ChunkDigests digestsOf(RbdImageHandle source, BackupRef backup, int chunkSize, ChunkReader reader,
                                   Hashers hashers) {
        long size = source.size();
        DigestPlan plan = DigestPlan.fromScratch(backup.id().value(), chunkSize, size, source.allocatedObjects(size),
                "the source snapshot");
        return new DigestRecorder(plan, hashers).finish(new RbdBlocks(source), reader, ProgressListener.NONE);
    }

    /** The recorded digests, unless absent or not to be trusted (a note then says why). */
    private Optional<ChunkDigests> recordedDigests(BackupRef backup, List<String> notes) {
        DigestObjects objects = new DigestObjects(connections.backupPool(), connections.settings().pool());
        String name = connections.settings().pool() + "/" + BackupNames.digestObject(backup.id());
        Optional<String> recordedIdentity = backup.resources().stream()
                .filter(r -> r.kind().equals(CephResources.DIGEST_OBJECT) && r.name().equals(name) && r.hasIdentity())
                .map(StoredResource::identity).findFirst();
        try {
            Optional<ChunkDigests> digests = objects.read(backup.id());
            if (digests.isPresent() && recordedIdentity.isPresent()
                    && !recordedIdentity.get().equals(objects.identity(backup.id()).orElse(""))) {
                notes.add("digests object " + name + " is not the one recorded for the backup (identity "
                        + objects.identity(backup.id()).orElse("?") + ", recorded " + recordedIdentity.get()
                        + "): not used");
                return Optional.empty();
            }
            if (digests.isEmpty() && recordedIdentity.isPresent()) {
                notes.add("digests object " + name + " was recorded for the backup but is gone");
            }
            return digests;
        } catch (ChunkDigests.DigestsDamagedException e) {
            notes.add(e.getMessage() + ": not used");
            return Optional.empty();
        }
    }

    /** The recorded digests' chunk size, or the one a new chain of the restore point's size would have. */
    private static int chunkSizeOf(Optional<ChunkDigests> recorded, RbdImageHandle restorePoint) {
        return recorded.map(ChunkDigests::chunkSize)
                .orElseGet(() -> ChunkSizes.forVolume(restorePoint.size(), restorePoint.objectSize()));
    }

    /** The backup's source snapshot, opened, when it still exists with the recorded identity. */
    private Optional<SourceSnapshot> sourceSnapshot(BackupRef backup, List<String> notes) {
        if (backup.volume().isFile()) {
            notes.add("the source is a file, which has no snapshot: not compared");
            return Optional.empty();
        }
        CephServiceMetadata stored = CephServiceMetadata.of(backup.metadata());
        Optional<String> name = backup.snapshot().map(s -> s.name()).or(stored::sourceSnapshot);
        String identity = backup.snapshot().map(s -> s.identity()).filter(id -> !id.isEmpty())
                .or(stored::sourceSnapshotId).orElse("");
        if (name.isEmpty()) {
            notes.add("no source snapshot is recorded for backup " + backup.id() + ": not compared");
            return Optional.empty();
        }
        RbdVolume volume = RbdVolume.parse(backup.volume());
        RbdImageHandle image;
        try {
            image = connections.openSource(volume, name.get(), true);
        } catch (VolumeNotFoundException e) {
            notes.add("source snapshot " + volume + "@" + name.get() + " is gone: not compared");
            return Optional.empty();
        }
        String actual = image.snapshotId(name.get()).stream().mapToObj(Long::toString).findFirst().orElse("");
        if (!identity.isEmpty() && !identity.equals(actual)) {
            image.close();
            notes.add("source snapshot " + volume + "@" + name.get() + " has snapshot id " + actual + ", not " + identity
                    + " as recorded: it is another snapshot of the same name; not compared");
            return Optional.empty();
        }
        return Optional.of(new SourceSnapshot(image, volume + "@" + name.get()));
    }

    /** An opened source snapshot. */
    private record SourceSnapshot(RbdImageHandle image, String describe) implements AutoCloseable {
        @Override
        public void close() {
            image.close();
        }
    }
}
