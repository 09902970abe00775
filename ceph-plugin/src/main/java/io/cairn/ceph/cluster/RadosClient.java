package io.cairn.ceph.cluster;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.cairn.api.error.BackendException;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRados;
import io.cairn.ceph.rbd.NativeCalls;
import io.cairn.ceph.rbd.RadosPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected librados client ({@code rados_t}), the pools opened on it and the watchdog its calls go
 * through. A {@link ClusterConnection} replaces a client that was blocklisted or stayed stalled; the old
 * one is shut down once nothing uses it any more, never earlier: images still open on it and calls
 * still running in it use its memory.
 */
final class RadosClient {

    private static final Logger LOG = LoggerFactory.getLogger(RadosClient.class);

    /**
     * Clients waiting to be shut down. rados-java shuts a client down when it is garbage collected, so a
     * client librbd may still use must stay reachable until it is idle.
     */
    private static final Set<RadosClient> RETIRED = ConcurrentHashMap.newKeySet();

    private final Handle rados;
    private final NativeCalls calls;
    private final Map<String, IoCTX> pools = new ConcurrentHashMap<>();
    private boolean retired;

    RadosClient(Handle rados, NativeCalls calls) {
        this.rados = rados;
        this.calls = calls;
    }

    NativeCalls calls() {
        return calls;
    }

    /**
     * A pool (and namespace), opened once and kept.
     *
     * @throws ClusterConnection.PoolNotFoundException when the pool does not exist
     * @throws io.cairn.ceph.rbd.ClusterStalledException when the cluster did not answer in time
     */
    RadosPool pool(String pool, String namespace, String cluster) {
        String key = namespace.isEmpty() ? pool : pool + "/" + namespace;
        IoCTX ioctx = pools.get(key);
        if (ioctx == null) {
            ioctx = calls.call("open pool " + key, progress -> open(pool, namespace, cluster), late -> {
                try {
                    late.close();
                } catch (IOException ignored) {
                    // rados_ioctx_destroy cannot fail
                }
            });
            IoCTX raced = pools.putIfAbsent(key, ioctx);
            if (raced != null) {
                closeQuietly(ioctx);
                ioctx = raced;
            }
        }
        RadosPool opened = new RadosPool(ioctx.getPointer(), key, calls);
        calls.probeWith(opened::answers);
        return opened;
    }

    private IoCTX open(String pool, String namespace, String cluster) {
        try {
            IoCTX created = rados.ioCtxCreate(pool);
            if (!namespace.isEmpty()) {
                created.setNamespace(namespace);
            }
            return created;
        } catch (RadosException e) {
            int errno = Math.abs(e.getReturnValue());
            if (errno == Errno.ENOENT) {
                throw new ClusterConnection.PoolNotFoundException(pool);
            }
            calls.noteResult(-errno);
            throw new BackendException("cannot open pool " + pool + " on " + cluster + ": " + e.getMessage(), e);
        }
    }

    String fsid(String cluster) {
        return calls.call("read the fsid of " + cluster, progress -> {
            try {
                return rados.clusterFsid();
            } catch (RadosException e) {
                throw new BackendException("cannot read the fsid of " + cluster + ": " + e.getMessage(), e);
            }
        });
    }

    /** This client's address as the OSDs see it (what {@code ceph osd blocklist add} takes). */
    String address(String cluster) {
        return calls.call("read the client address on " + cluster, progress -> {
            PointerByReference out = new PointerByReference();
            int rc = LibRados.rados_getaddrs(rados.pointer(), out);
            if (rc < 0) {
                throw new BackendException("cannot read the client address on " + cluster + ": " + Errno.describe(rc));
            }
            String address = out.getValue().getString(0, StandardCharsets.UTF_8.name());
            LibRados.rados_buffer_free(out.getValue());
            return address;
        });
    }

    /**
     * Blocklists another client's address for {@code duration} ({@code ceph osd blocklist add}) through
     * the monitors: bounded by the monitor operation timeout set at connect, and by the watchdog.
     */
    void blocklist(String address, Duration duration, String cluster) {
        String command = "{\"prefix\": \"osd blocklist\", \"blocklistop\": \"add\", \"addr\": \""
                + address.replace("\"", "") + "\", \"expire\": " + Math.max(1, duration.toSeconds()) + ".0}";
        calls.call("blocklist client " + address + " on " + cluster, progress -> {
            try {
                rados.executeRadosMonCommand(new String[] {command}, "");
                return Boolean.TRUE;
            } catch (RadosException e) {
                calls.noteResult(-Math.abs(e.getReturnValue()));
                throw new BackendException("cannot blocklist client " + address + " on " + cluster + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * Shuts the client down once no call runs and no image is open on it (at once when that is already
     * so); until then it stays reachable, so that nothing frees what librbd still uses.
     */
    synchronized void retire() {
        if (retired) {
            return;
        }
        retired = true;
        RETIRED.add(this);
        calls.retire();
        calls.whenIdle(() -> {
            try {
                for (IoCTX ioctx : pools.values()) {
                    closeQuietly(ioctx);
                }
                pools.clear();
                rados.shutDown();
            } catch (RuntimeException e) {
                LOG.warn("shutting down a client of {} failed: {}", calls.cluster(), e.getMessage());
            } finally {
                RETIRED.remove(this);
            }
        });
    }

    private static void closeQuietly(IoCTX ioctx) {
        try {
            ioctx.close();
        } catch (IOException ignored) {
            // rados_ioctx_destroy cannot fail; the signature says IOException only
        }
    }

    /** rados-java's client, which keeps its {@code rados_t} to itself. */
    static final class Handle extends Rados {
        Handle(String user) {
            super(user);
        }

        Pointer pointer() {
            return clusterPtr;
        }
    }
}
