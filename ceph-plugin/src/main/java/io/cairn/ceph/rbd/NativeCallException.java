package io.cairn.ceph.rbd;

/**
 * A librbd or librados call returned an error. Internal to the plugin: operations translate it into
 * the plugin API's typed errors, adding which volume or backup was concerned.
 */
public final class NativeCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeCallException(String call, long returnCode) {
        super(call + ": " + Errno.describe(returnCode));
        this.errno = (int) Math.abs(returnCode);
    }

    /** The positive errno, for example {@link Errno#ENOENT}. */
    public int errno() {
        return errno;
    }

    public boolean isNotFound() {
        return errno == Errno.ENOENT;
    }

    /** Checks a return code: negative means failure. */
    public static long check(String call, long returnCode) {
        if (returnCode < 0) {
            throw new NativeCallException(call, returnCode);
        }
        return returnCode;
    }
}
