package io.cairn.ceph.cluster;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.TransientBackendException;
import io.cairn.api.error.UnreachableException;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.NativeCallException;

/**
 * Turns a failed librados or librbd call into the plugin API's typed error, the one place that does:
 * busy (EBUSY) can be retried, a timeout or a blocklisted client (ETIMEDOUT, ESHUTDOWN) means the
 * cluster is unreachable for now, the rest is a plain backend error. The verbs add what they were
 * doing; this class adds which cluster it was.
 */
public final class CephErrors {

    private final String clusterName;

    /** @param clusterName the operator's name for the cluster, named in unreachable errors */
    public CephErrors(String clusterName) {
        this.clusterName = clusterName;
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
            return new UnreachableException(message + " (cluster '" + clusterName + "')", e);
        }
        if (e.errno() == Errno.ESHUTDOWN) {
            return new UnreachableException(message + " (cluster '" + clusterName + "' has"
                    + " blocklisted this client; the next operation connects anew)", e);
        }
        return new BackendException(message, e);
    }
}
