package io.cairn.ceph.rbd;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.util.Objects;

/**
 * An open pool (and namespace) of one cluster client: the {@code rados_ioctx_t} and the watchdog that
 * every call through it goes through. The ioctx lives as long as its client, which is shut down only
 * when no call runs and no image is open (see {@link NativeCalls}).
 *
 * @param ioctx the pool's {@code rados_ioctx_t}
 * @param name  {@code pool} or {@code pool/namespace}, for messages
 * @param calls the watchdog of the client the pool was opened on
 */
public record RadosPool(Pointer ioctx, String name, NativeCalls calls) {

    public RadosPool {
        Objects.requireNonNull(ioctx, "ioctx is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(calls, "calls is null");
    }

    /**
     * Whether an OSD of this pool answers: a stat of an object that need not exist. librados's own
     * {@code rados_osd_op_timeout} bounds it (ETIMEDOUT: no answer). An answer of ESHUTDOWN says the
     * cluster blocklisted this client - its IO may have timed out before librados heard of the blocklist -
     * and is noted, so that the client is replaced instead of being waited on.
     */
    public boolean answers() {
        int rc = LibRados.rados_stat(ioctx, "cairn.probe", new LongByReference(), null);
        if (rc == -Errno.ESHUTDOWN) {
            calls.noteResult(rc);
        }
        return rc != -Errno.ETIMEDOUT;
    }

    /** Runs a call that returns a librbd/librados return code, bounded; returns the code unchecked. */
    public int call(String what, NativeCalls.Call<Integer> call) {
        return calls.call(what, call);
    }
}
