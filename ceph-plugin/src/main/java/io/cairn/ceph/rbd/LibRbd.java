package io.cairn.ceph.rbd;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Direct JNA bindings of the librbd C API ({@code /usr/include/rbd/librbd.h}) that rados-java 0.6.0
 * lacks or wraps too thinly for bulk IO: diff iteration, asynchronous reads and writes with completions,
 * write-zeroes, image metadata, features, image and snapshot ids, watchers and the exclusive lock, and RBD
 * groups with their group snapshots.
 *
 * <p>Direct mapping ({@link Native#register}) rather than an interface proxy: every block of a transfer
 * goes through these calls, and direct calls cost a fraction of proxied ones. {@code size_t} is mapped
 * to {@code long}, which holds on the 64-bit Linux platforms Ceph supports.
 *
 * <p>Every function returns 0 or a positive count on success and {@code -errno} on failure.
 */
public final class LibRbd {

    static {
        Native.register(LibRbd.class, "rbd");
    }

    /** Feature bits ({@code rbd/features.h}). */
    public static final long FEATURE_LAYERING = 1L;
    public static final long FEATURE_STRIPINGV2 = 1L << 1;
    public static final long FEATURE_EXCLUSIVE_LOCK = 1L << 2;
    public static final long FEATURE_OBJECT_MAP = 1L << 3;
    public static final long FEATURE_FAST_DIFF = 1L << 4;
    public static final long FEATURE_JOURNALING = 1L << 6;

    private LibRbd() {
    }

    /** {@code int (*cb)(uint64_t offset, size_t length, int exists, void *arg)} of rbd_diff_iterate2. */
    public interface DiffCallback extends Callback {
        int invoke(long offset, long length, int exists, Pointer arg);
    }

    /** {@code rbd_callback_t}: {@code void (*cb)(rbd_completion_t cb, void *arg)}, when an AIO ends. */
    public interface CompletionCallback extends Callback {
        void invoke(Pointer completion, Pointer arg);
    }

    /** {@code librbd_progress_fn_t}: {@code int (*cb)(uint64_t offset, uint64_t total, void *ptr)}; 0 goes on. */
    public interface ProgressCallback extends Callback {
        int invoke(long offset, long total, Pointer arg);
    }

    /** {@code RBD_LOCK_MODE_EXCLUSIVE} of {@code rbd_lock_mode_t}. */
    public static final int LOCK_MODE_EXCLUSIVE = 0;

    public static native int rbd_create3(Pointer io, String name, long size, long features, Pointer order,
                                         long stripeUnit, long stripeCount);

    public static native int rbd_create(Pointer io, String name, long size, Pointer order);

    public static native int rbd_remove(Pointer io, String name);

    public static native int rbd_remove_with_progress(Pointer io, String name, ProgressCallback callback, Pointer arg);

    public static native int rbd_open(Pointer io, String name, PointerByReference image, String snapName);

    public static native int rbd_open_read_only(Pointer io, String name, PointerByReference image, String snapName);

    public static native int rbd_close(Pointer image);

    public static native int rbd_get_size(Pointer image, LongByReference size);

    public static native int rbd_get_features(Pointer image, LongByReference features);

    public static native int rbd_get_flags(Pointer image, LongByReference flags);

    public static native int rbd_get_overlap(Pointer image, LongByReference overlap);

    public static native int rbd_stat(Pointer image, Pointer info, long infoSize);

    public static native int rbd_resize_with_progress(Pointer image, long size, ProgressCallback callback,
                                                      Pointer arg);

    public static native int rbd_snap_list(Pointer image, Pointer snaps, Pointer maxSnaps);

    public static native void rbd_snap_list_end(Pointer snaps);

    public static native int rbd_snap_create(Pointer image, String snapName);

    public static native int rbd_diff_iterate2(Pointer image, String fromSnapName, long offset, long length,
                                               byte includeParent, byte wholeObject, DiffCallback callback,
                                               Pointer arg);

    public static native int rbd_flush(Pointer image);

    public static native int rbd_metadata_list(Pointer image, String start, long max, Pointer keys,
                                               LongByReference keysLength, Pointer values,
                                               LongByReference valuesLength);

    public static native int rbd_metadata_set(Pointer image, String key, String value);

    public static native int rbd_aio_create_completion(Pointer callbackArg, CompletionCallback callback,
                                                       PointerByReference completion);

    public static native int rbd_aio_read2(Pointer image, long offset, long length, Pointer buffer,
                                           Pointer completion, int opFlags);

    public static native int rbd_aio_write2(Pointer image, long offset, long length, Pointer buffer,
                                            Pointer completion, int opFlags);

    public static native int rbd_aio_write_zeroes(Pointer image, long offset, long length, Pointer completion,
                                                  int zeroFlags, int opFlags);

    public static native long rbd_aio_get_return_value(Pointer completion);

    public static native void rbd_aio_release(Pointer completion);

    public static native int rbd_get_id(Pointer image, Pointer id, long idLength);

    public static native int rbd_snap_get_id(Pointer image, String snapName, LongByReference snapId);

    /** {@code int rbd_get_create_timestamp(rbd_image_t image, struct timespec *timestamp)}. */
    public static native int rbd_get_create_timestamp(Pointer image, Pointer timespec);

    /** {@code int rbd_snap_get_timestamp(rbd_image_t image, uint64_t snap_id, struct timespec *timestamp)}. */
    public static native int rbd_snap_get_timestamp(Pointer image, long snapId, Pointer timespec);

    public static native int rbd_snap_remove_by_id(Pointer image, long snapId);

    public static native int rbd_metadata_remove(Pointer image, String key);

    /**
     * {@code RBD_SNAP_NAMESPACE_TYPE_TRASH}: librbd's first step in removing a snapshot moves it to this
     * namespace (under a new name); a removal that dies there leaves it, invisible to a lookup by name.
     */
    public static final int SNAP_NAMESPACE_TYPE_TRASH = 2;

    public static native int rbd_snap_get_namespace_type(Pointer image, long snapId, IntByReference namespaceType);

    public static native int rbd_snap_get_trash_namespace(Pointer image, long snapId, Pointer originalName,
                                                          long maxLength);

    /** Fills {@code rbd_image_watcher_t {char *addr; int64_t id; uint64_t cookie;}} entries. */
    public static native int rbd_watchers_list(Pointer image, Pointer watchers, LongByReference maxWatchers);

    public static native void rbd_watchers_list_cleanup(Pointer watchers, long watcherCount);

    public static native int rbd_lock_get_owners(Pointer image, IntByReference lockMode, Pointer lockOwners,
                                                 LongByReference maxLockOwners);

    public static native void rbd_lock_get_owners_cleanup(Pointer lockOwners, long lockOwnerCount);

    public static native int rbd_lock_acquire(Pointer image, int lockMode);

    /**
     * The holders of the header's {@code rbd_lock} - the exclusive lock among them - as three lists of
     * NUL-separated strings; works on a read-only image, unlike {@code rbd_lock_get_owners}.
     *
     * @return how many hold it, or -ERANGE with the sizes needed written back
     */
    public static native long rbd_list_lockers(Pointer image, Pointer exclusive, Pointer tag, LongByReference tagLength,
                                               Pointer clients, LongByReference clientsLength, Pointer cookies,
                                               LongByReference cookiesLength, Pointer addrs,
                                               LongByReference addrsLength);

    public static native int rbd_lock_break(Pointer image, int lockMode, String lockOwner);

    public static native int rbd_snap_set_by_id(Pointer image, long snapId);

    /** {@code RBD_SNAP_NAMESPACE_TYPE_GROUP}: a snapshot a group snapshot created on a member image. */
    public static final int SNAP_NAMESPACE_TYPE_GROUP = 1;

    /** Fills {@code rbd_snap_group_namespace_t {int64_t group_pool; char *group_name; char *group_snap_name;}}. */
    public static native int rbd_snap_get_group_namespace(Pointer image, long snapId, Pointer groupSnap,
                                                          long groupSnapSize);

    public static native int rbd_snap_group_namespace_cleanup(Pointer groupSnap, long groupSnapSize);

    /** Fills {@code rbd_group_info_t {char *name; int64_t pool;}}; pool -1 when the image is in no group. */
    public static native int rbd_get_group(Pointer image, Pointer groupInfo, long groupInfoSize);

    public static native int rbd_group_info_cleanup(Pointer groupInfo, long groupInfoSize);

    public static native int rbd_group_create(Pointer io, String name);

    /** The pool's groups as NUL-terminated names; -ERANGE with the size needed written back. */
    public static native int rbd_group_list(Pointer io, Pointer names, LongByReference size);

    public static native int rbd_group_remove(Pointer io, String name);

    public static native int rbd_group_image_add(Pointer groupIo, String group, Pointer imageIo, String image);

    /** Fills {@code rbd_group_image_info_t {char *name; int64_t pool; rbd_group_image_state_t state;}} entries. */
    public static native int rbd_group_image_list(Pointer groupIo, String group, Pointer images, long infoSize,
                                                  LongByReference numEntries);

    public static native int rbd_group_image_list_cleanup(Pointer images, long infoSize, long numEntries);

    public static native int rbd_group_snap_create(Pointer groupIo, String group, String snapName);

    public static native int rbd_group_snap_remove(Pointer groupIo, String group, String snapName);

    /** Fills {@code rbd_group_snap_info_t {char *name; rbd_group_snap_state_t state;}} entries. */
    public static native int rbd_group_snap_list(Pointer groupIo, String group, Pointer snaps, long infoSize,
                                                 LongByReference numEntries);

    public static native int rbd_group_snap_list_cleanup(Pointer snaps, long infoSize, long numEntries);

    /** librados advice flags for bulk IO (librados.h LIBRADOS_OP_FLAG_FADVISE_*). */
    public static final int FADVISE_SEQUENTIAL = 0x8;
    public static final int FADVISE_DONTNEED = 0x20;
    public static final int FADVISE_NOCACHE = 0x40;
}
