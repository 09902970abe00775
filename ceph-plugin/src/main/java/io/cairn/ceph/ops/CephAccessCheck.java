package io.cairn.ceph.ops;

import com.sun.jna.Pointer;
import io.cairn.api.model.VolumeRef;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.ClusterConnection.PoolNotFoundException;
import io.cairn.ceph.cluster.ClusterConnection;
import io.cairn.ceph.cluster.ConnectionSettings;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRados;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Whether the configured users may do what backups need, checked the way backups use the cluster:
 * <ul>
 *   <li>backup pool: list its images, and write - create a scratch object, take and release a lock on
 *       it (what creating base images and their snapshots takes: write and object-class access), remove
 *       it;</li>
 *   <li>each source pool: list its images and open one, and the same write probe (creating a snapshot
 *       writes the image's header through the rbd object class).</li>
 * </ul>
 * The probe object ({@code cairn.access-probe.<random>}) is removed at once; no volume, snapshot or
 * backup is touched. Each problem names the user, the pool, the cluster and the right.
 */
public final class CephAccessCheck {

    private static final String PROBE_PREFIX = "cairn.access-probe.";
    private static final String PROBE_LOCK = "cairn.access-probe";

    private final CephConnections connections;

    public CephAccessCheck(CephConnections connections) {
        this.connections = connections;
    }

    /**
     * @param sourcePools pools ({@code pool} or {@code pool/namespace}) whose volumes schedules back up
     * @return what is missing; empty when everything is allowed
     */
    public List<String> check(Set<String> sourcePools) {
        List<String> missing = new ArrayList<>();
        checkPool(connections.backup(), connections.settings().pool(), "", "backup pool", false, missing);
        for (String pool : sourcePools) {
            if (pool.isBlank()) {
                continue; // file: volumes have no pool
            }
            RbdVolume where;
            try {
                where = RbdVolume.parse(new VolumeRef(pool + "/x"));
            } catch (RuntimeException e) {
                missing.add("'" + pool + "' is not a pool (expected POOL or POOL/NAMESPACE)");
                continue;
            }
            checkPool(connections.source(), where.pool(), where.namespace(), "volume pool", true, missing);
        }
        return missing;
    }

    private void checkPool(ClusterConnection connection, String poolName, String namespace, String role,
                           boolean openAnImage, List<String> missing) {
        ConnectionSettings side = connection.settings();
        String where = role + " " + (namespace.isEmpty() ? poolName : poolName + "/" + namespace);
        String who = "user client." + side.user();
        String on = " on " + side.label();
        RadosPool pool;
        try {
            pool = connection.pool(poolName, namespace);
        } catch (PoolNotFoundException e) {
            missing.add(where + " does not exist" + on);
            return;
        }
        String caps = " (needs OSD caps such as 'profile rbd pool=" + poolName + "')";
        try {
            List<String> images = RbdImageNames.list(pool, where);
            if (openAnImage && !images.isEmpty()) {
                String name = pool.name() + "/" + images.get(0);
                RbdImageHandle.open(pool, name, images.get(0), null, true).close();
            }
        } catch (NativeCallException e) {
            if (!denied(e.errno())) {
                throw e;
            }
            missing.add(who + " may not read the images of " + where + on + ": " + Errno.describe(e.errno()) + caps);
            return;
        }
        int denial = probeWrite(pool);
        if (denial != 0) {
            String purpose = role.equals("backup pool") ? "store backups in" : "create snapshots in";
            missing.add(who + " may not " + purpose + " " + where + on + " (writing an object and locking it: "
                    + Errno.describe(denial) + ")" + caps);
        }
    }

    /**
     * Creates a scratch object, locks and unlocks it (object-class access), removes it.
     *
     * @return 0 when allowed, else the errno that denied it
     */
    private static int probeWrite(RadosPool pool) {
        String object = PROBE_PREFIX + UUID.randomUUID();
        String cookie = UUID.randomUUID().toString();
        return pool.call("probe writing to pool " + pool.name(), progress -> {
            Pointer op = LibRados.rados_create_write_op();
            int rc;
            try {
                LibRados.rados_write_op_create(op, LibRados.CREATE_EXCLUSIVE, null);
                rc = LibRados.rados_write_op_operate(op, pool.ioctx(), object, null, 0);
            } finally {
                LibRados.rados_release_write_op(op);
            }
            if (rc < 0) {
                return deniedOrFail("create a probe object in " + pool.name(), rc);
            }
            try {
                rc = LibRados.rados_lock_exclusive(pool.ioctx(), object, PROBE_LOCK, cookie, "cairn access check",
                        null, (byte) 0);
                if (rc < 0) {
                    return deniedOrFail("lock a probe object in " + pool.name(), rc);
                }
                LibRados.rados_unlock(pool.ioctx(), object, PROBE_LOCK, cookie);
                return 0;
            } finally {
                LibRados.rados_remove(pool.ioctx(), object);
            }
        });
    }

    private static int deniedOrFail(String what, int rc) {
        if (denied(-rc)) {
            return -rc;
        }
        throw new NativeCallException(what, rc);
    }

    private static boolean denied(int errno) {
        return errno == Errno.EPERM || errno == Errno.EACCES;
    }
}
