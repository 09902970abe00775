package io.cairn.ceph.ops;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.copy.BlockSink;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.CopyStats;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.ExtentCopier;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.digest.ChunkReader;
import io.cairn.ceph.digest.ChunkSizes;
import io.cairn.ceph.digest.DigestPlan;
import io.cairn.ceph.digest.DigestRecorder;
import io.cairn.ceph.digest.Hashers;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.store.DigestObjects;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digests a transfer records of the restore point it makes: planned from what is known without
 * reading (zeros, and an incremental's unchanged chunks from its parent's digests), hashed from the
 * blocks the copy reads anyway, the rest read from the source snapshot, and stored as
 * {@code backup.<id>.digests} (journaled before it is created, removed by the rollback of a failed
 * backup).
 */
final class TransferDigests {

    private static final Logger LOG = LoggerFactory.getLogger(TransferDigests.class);

    private final CephConnections connections;

    TransferDigests(CephConnections connections) {
        this.connections = connections;
    }

    /**
     * What to compute for a backup of {@code source}: a new chain's table in the chunks its size calls for
     * ({@link ChunkSizes}); an incremental's in its parent's chunks, carrying the parent's entries forward,
     * unless the volume grew past what those chunks allow or the parent has no usable digests - then in the
     * chunks its size calls for, from every allocated chunk of the snapshot.
     *
     * @param diff      the extents the transfer copies (everything allocated for a full backup)
     * @param allocated the source snapshot's allocated extents, asked only when the parent's digests
     *                  cannot be carried forward
     */
    DigestPlan plan(TransferRequest request, long sizeBytes, long objectSize, List<Extent> diff,
                    Supplier<List<Extent>> allocated) {
        String id = request.snapshot().backupId().value();
        int chunkSize = ChunkSizes.forVolume(sizeBytes, objectSize);
        if (request.parent().isEmpty()) {
            return DigestPlan.fromScratch(id, chunkSize, sizeBytes, diff, "every allocated chunk of the snapshot");
        }
        BackupRef parent = request.parent().get();
        String why;
        try {
            Optional<ChunkDigests> recorded = objects().read(parent.id());
            if (recorded.isPresent() && ChunkSizes.keepsParents(recorded.get().chunkSize(), sizeBytes, objectSize)) {
                return DigestPlan.fromParent(id, sizeBytes, diff, recorded.get());
            }
            why = recorded.isEmpty()
                    ? "parent backup " + parent.id() + " has no digests (stored before Cairn recorded them)"
                    : "parent backup " + parent.id() + "'s digests are in chunks of " + recorded.get().chunkSize()
                            + " bytes, too small for a volume of " + sizeBytes + " bytes (" + chunkSize + " now)";
        } catch (ChunkDigests.DigestsDamagedException e) {
            why = e.getMessage();
        }
        LOG.info("{}: digests of backup {} are computed from every allocated chunk of its snapshot", why, id);
        return DigestPlan.fromScratch(id, chunkSize, sizeBytes, allocated.get(), why);
    }

    /**
     * Copies {@code extents} while hashing every whole chunk the copy reads, then reads and hashes the
     * chunks it did not hold whole.
     *
     * @return the copy's figures and the complete digests
     */
    Copied copy(DigestPlan plan, List<Extent> extents, ExtentCopier copier, BlockSource source, BlockSink sink,
                boolean targetIsEmpty, ProgressListener progress) {
        int parallelIos = connections.settings().parallelIos();
        long copyTotal = extents.stream().mapToLong(Extent::length).sum();
        try (Hashers hashers = Hashers.perCore()) {
            DigestRecorder recorder = new DigestRecorder(plan, hashers);
            CopyStats stats = copier.copy(extents, source, sink, targetIsEmpty, progress, recorder);
            long rereadBytes = recorder.bytesLeft();
            ChunkDigests digests = recorder.finish(source, new ChunkReader(plan.table().chunkSize(), parallelIos, hashers),
                    (done, total) -> progress.onProgress(copyTotal + done, copyTotal + total));
            return new Copied(stats, digests, rereadBytes);
        }
    }

    /** Reads and hashes every chunk the plan still needs, from {@code source}: for transfers that do not copy. */
    ChunkDigests compute(DigestPlan plan, BlockSource source, ProgressListener progress) {
        try (Hashers hashers = Hashers.perCore()) {
            return new DigestRecorder(plan, hashers).finish(source, new ChunkReader(plan.table().chunkSize(),
                    connections.settings().parallelIos(), hashers), progress);
        }
    }

    /** What a copy with digests did. */
    record Copied(CopyStats stats, ChunkDigests digests, long rereadBytes) {
    }

    /** Stores the digests beside the metadata object: journaled, created, journaled with their identity. */
    void store(TransferRequest request, ChunkDigests digests, Rollback rollback) {
        BackupId id = request.snapshot().backupId();
        StoredResource resource = CephResources.digestObject(connections.settings().pool(), id);
        request.journal().record(resource);
        DigestObjects objects = objects();
        String identity = objects.create(id, digests);
        rollback.add("remove digests object " + BackupNames.digestObject(id), () -> objects.remove(id));
        request.journal().record(resource.withIdentity(identity));
    }

    /**
     * The IO size of a copy: one object, at least 4 MiB, and at least one chunk of the plan (if any), so that
     * each block read holds whole chunks to hash.
     */
    static int copyIoSize(long objectSize, DigestPlan plan) {
        return Math.max((int) Math.max(objectSize, ChunkSizes.OBJECT), plan == null ? 0 : plan.table().chunkSize());
    }

    private DigestObjects objects() {
        return new DigestObjects(connections.backupPool(), connections.settings().pool());
    }
}
