package io.cairn.ceph.rbd;

import io.cairn.api.error.UnreachableException;

/**
 * A call into librados or librbd (or an {@code rbd} child process) made no progress within the
 * cluster's {@code timeout} and was given up. The message names the cluster and what was waited for.
 *
 * <p>Giving up does not stop the native call: it keeps running on a thread of its own, with every
 * buffer it may still write into, until librbd returns (see {@link NativeCalls}).
 */
public final class ClusterStalledException extends UnreachableException {

    private static final long serialVersionUID = 1L;

    public ClusterStalledException(String message) {
        super(message);
    }
}
