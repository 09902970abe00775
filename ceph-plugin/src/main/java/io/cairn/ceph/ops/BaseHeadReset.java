package io.cairn.ceph.ops;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.copy.CopyStats;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.ExtentCopier;
import io.cairn.ceph.rbd.RbdBlocks;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a base image's head back to the parent's restore point wherever it differs, before an incremental
 * writes onto it.
 *
 * <p>Why: an incremental writes only what changed on the volume since its parent, onto the head, and relies on
 * the head holding the parent's restore point everywhere else. A backup that failed part way - killed, a
 * stalled cluster - leaves its writes in the head, and the next diff does not always cover them: data written
 * into a stretch that read as zeros at the parent and discarded again since is no change since the parent, so
 * its bytes would stay in the head and reach the next restore point. The base's own diff from the restore point
 * to its head finds exactly what was left (from the object maps: a few milliseconds when the head is clean, as
 * it is unless a backup failed); those ranges are copied back from the restore point, zeros zeroed. A head a
 * failed backup resized gets the restore point's size back first; the transfer sets the volume's.
 */
final class BaseHeadReset {

    private static final Logger LOG = LoggerFactory.getLogger(BaseHeadReset.class);

    private final CephConnections connections;

    BaseHeadReset(CephConnections connections) {
        this.connections = connections;
    }

    /**
     * @param head     the base image, opened for writing at its head
     * @param baseName its name in the backup pool
     * @return how many bytes of the head were put back (0 when it held the restore point already)
     */
    long reset(RbdImageHandle head, String baseName, String restorePoint) {
        String spec = connections.settings().pool() + "/" + baseName;
        try (RbdImageHandle point = connections.openBackupImage(baseName, restorePoint, true).orElseThrow(
                () -> new ChainBrokenException("the restore point " + spec + "@" + restorePoint + " is gone"))) {
            long size = point.size();
            boolean resized = head.size() != size;
            if (resized) {
                head.resize(size);
            }
            // Every range that differs is read from the restore point, holes included: they read as zeros there.
            List<Extent> left = head.diff(restorePoint, size).stream()
                    .map(extent -> new Extent(extent.offset(), extent.length(), true)).toList();
            if (left.isEmpty() && !resized) {
                return 0;
            }
            CopyStats copied = new ExtentCopier((int) point.objectSize(), connections.ioShare())
                    .copy(left, new RbdBlocks(point), new RbdBlocks(head), false, ProgressListener.NONE);
            long bytes = left.stream().mapToLong(Extent::length).sum();
            LOG.info("base image {}: its head differed from restore point {} in {} range(s), {} bytes{} - what a"
                    + " failed backup left; put back before the incremental ({} bytes written, {} zeroed)", spec,
                    restorePoint, left.size(), bytes, resized ? " and its size" : "", copied.bytesWritten(),
                    copied.bytesZeroed());
            return bytes;
        }
    }
}
