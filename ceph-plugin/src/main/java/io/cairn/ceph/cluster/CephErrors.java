package io.cairn.ceph.cluster;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.TransientBackendException;
import io.cairn.api.error.UnreachableException;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.NativeCalls;
import java.time.Duration;

/**
 * Turns a failed librados or librbd call into the plugin API's typed error, the one place that does:
 * busy (EBUSY) can be retried, a timeout or a blocklisted client (ETIMEDOUT, ESHUTDOWN) means the
 * cluster is unreachable for now, the rest is a plain backend error. The verbs add what they were
 * doing; this class adds which cluster it was.
 */
public final class CephErrors {

    private final String clusterName;
    private final Duration timeout;

    /**
     * @param clusterName the operator's name for the cluster, named in unreachable errors
     * @param timeout     how long an operation may take ({@code timeout}): librados' own timeouts are set to it
     */
    public CephErrors(String clusterName, Duration timeout) {
        this.clusterName = clusterName;
        this.timeout = timeout;
    }

    /**
     * @param what what failed, for the message ({@code snapshot of volumes/db1})
     */
    public BackendException translate(NativeCallException e, String what) {
        String message = what + " failed: " + e.getMessage();
        if (e.errno() == Errno.EBUSY) {
            return new TransientBackendException(message, e);
        }
        if (e.errno() == Errno.ETIMEDOUT) {
            // librados gave up after the timeout Cairn set: said as Cairn's own deadline says it, whichever came first.
            return new UnreachableException(message + " (cluster '" + clusterName + "' did not answer within "
                    + NativeCalls.seconds(timeout.toNanos()) + ")", e);
        }
        if (e.errno() == Errno.ESHUTDOWN) {
            return new UnreachableException(message + " (cluster '" + clusterName + "' has"
                    + " blocklisted this client; the next operation connects anew)", e);
        }
        return new BackendException(message, e);
    }
}
