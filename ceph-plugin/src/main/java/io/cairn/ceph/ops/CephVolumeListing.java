package io.cairn.ceph.ops;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VolumeListing;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdImageNames;
import java.util.List;

/**
 * The RBD images of a pool (or pool namespace) on the source side, for schedules that select volumes
 * by pattern.
 */
public final class CephVolumeListing implements VolumeListing {

    private final CephConnections connections;
    private final CephErrors errors;

    public CephVolumeListing(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    public List<VolumeRef> list(String pool) {
        // Parse "pool" or "pool/namespace" the way a volume locator is parsed, with a placeholder image.
        RbdVolume where;
        try {
            where = RbdVolume.parse(new VolumeRef(pool + "/x"));
        } catch (RuntimeException e) {
            throw new VolumeNotFoundException("'" + pool + "' is not a pool: expected POOL or POOL/NAMESPACE");
        }
        String prefix = where.namespace().isEmpty() ? where.pool() : where.pool() + "/" + where.namespace();
        try {
            return RbdImageNames.list(connections.sourcePool(where), "pool " + prefix).stream()
                    .map(image -> new VolumeRef(prefix + "/" + image))
                    .toList();
        } catch (NativeCallException e) {
            throw errors.translate(e, "list images of pool " + prefix);
        }
    }
}
