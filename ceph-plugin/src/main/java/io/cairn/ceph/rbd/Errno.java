package io.cairn.ceph.rbd;

import java.util.Map;

/**
 * Names for the negative errno values librbd and librados return, so error messages say
 * "No such file or directory (ENOENT)" instead of "-2".
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENOTEMPTY = 39;
    public static final int ESHUTDOWN = 108;
    public static final int ETIMEDOUT = 110;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "Operation not permitted (EPERM)"),
            Map.entry(ENOENT, "No such file or directory (ENOENT)"),
            Map.entry(EIO, "Input/output error (EIO)"),
            Map.entry(EACCES, "Permission denied (EACCES)"),
            Map.entry(EBUSY, "Device or resource busy (EBUSY)"),
            Map.entry(EEXIST, "File exists (EEXIST)"),
            Map.entry(EINVAL, "Invalid argument (EINVAL)"),
            Map.entry(ENOSPC, "No space left on device (ENOSPC)"),
            Map.entry(EROFS, "Read-only file system (EROFS)"),
            Map.entry(ERANGE, "Result out of range (ERANGE)"),
            Map.entry(ENOTEMPTY, "Directory not empty (ENOTEMPTY)"),
            Map.entry(ESHUTDOWN, "Client blocklisted or shut down (ESHUTDOWN)"),
            Map.entry(ETIMEDOUT, "Connection timed out (ETIMEDOUT)"));

    private Errno() {
    }

    /** Describes a return code, negative or positive. */
    public static String describe(long returnCode) {
        int errno = (int) Math.abs(returnCode);
        return NAMES.getOrDefault(errno, "error " + errno);
    }
}
