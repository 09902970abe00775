package io.cairn.ceph.rbd;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.PendingIo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An open RBD image (or image snapshot), closed exactly once. Thread-safe where librbd is: the
 * asynchronous IO methods may be called from one thread while IOs complete on librbd's.
 *
 * <p>Every call goes through the client's {@link NativeCalls}, so each ends within the cluster's
 * timeout. Memory a call hands to librbd (out-parameters, lists) is allocated and read inside the call,
 * on the call's own thread: a call that is given up still owns it until librbd returns.
 */
public final class RbdImageHandle implements AutoCloseable {

    /** Offset of {@code obj_size} in {@code rbd_image_info_t} (after {@code uint64_t size}). */
    private static final int INFO_OBJECT_SIZE_OFFSET = 8;
    private static final int INFO_STRUCT_BYTES = 256;
    /** {@code rbd_snap_info_t} is {@code {uint64_t id; uint64_t size; const char *name;}}. */
    private static final int SNAP_INFO_BYTES = 24;
    /** {@code rbd_image_watcher_t} is {@code {char *addr; int64_t id; uint64_t cookie;}}. */
    private static final int WATCHER_BYTES = 24;
    /** {@code rbd_snap_group_namespace_t}: {@code int64_t group_pool; char *group_name; char *group_snap_name}. */
    private static final int GROUP_NAMESPACE_BYTES = 24;
    /** {@code rbd_group_info_t}: {@code char *name; int64_t pool}. */
    private static final int GROUP_INFO_BYTES = 16;
    /** Room for an image id (librbd's are 12-16 characters). */
    private static final int ID_BYTES = 128;

    private final Pointer image;
    private final String name;
    private final NativeCalls calls;
    private boolean closed;

    private RbdImageHandle(Pointer image, String name, NativeCalls calls) {
        this.image = image;
        this.name = name;
        this.calls = calls;
    }

    /**
     * Opens an image.
     *
     * @param pool     the pool the image is in
     * @param name     what to call it in errors ({@code pool/image} or {@code pool/image@snap})
     * @param image    the image name in the pool
     * @param snapshot a snapshot to open instead of the head, or {@code null}
     * @param readOnly whether to open read-only (no exclusive lock, no watch)
     * @throws NativeCallException ENOENT when the image or snapshot does not exist
     * @throws ClusterStalledException when the cluster did not answer in time
     */
    public static RbdImageHandle open(RadosPool pool, String name, String image, String snapshot, boolean readOnly) {
        NativeCalls calls = pool.calls();
        Pointer opened = calls.call("open " + name, progress -> {
            PointerByReference out = new PointerByReference();
            int rc = readOnly
                    ? LibRbd.rbd_open_read_only(pool.ioctx(), image, out, snapshot)
                    : LibRbd.rbd_open(pool.ioctx(), image, out, snapshot);
            NativeCallException.check("open " + name, rc);
            calls.handleOpened();
            return out.getValue();
        }, late -> {
            // Opened after we gave up: nobody will use it, so close it (a watch would keep it busy).
            LibRbd.rbd_close(late);
            calls.handleClosed();
        });
        return new RbdImageHandle(opened, name, calls);
    }

    public String name() {
        return name;
    }

    public long size() {
        return calls.call("size of " + name, progress -> {
            LongByReference size = new LongByReference();
            NativeCallException.check("size of " + name, LibRbd.rbd_get_size(image, size));
            return size.getValue();
        });
    }

    /** The image's object size: RBD's unit of allocation, and our unit of IO. */
    public long objectSize() {
        return calls.call("stat " + name, progress -> {
            try (Memory info = new Memory(INFO_STRUCT_BYTES)) {
                NativeCallException.check("stat " + name, LibRbd.rbd_stat(image, info, INFO_STRUCT_BYTES));
                return info.getLong(INFO_OBJECT_SIZE_OFFSET);
            }
        });
    }

    public long features() {
        return calls.call("features of " + name, progress -> {
            LongByReference features = new LongByReference();
            NativeCallException.check("features of " + name, LibRbd.rbd_get_features(image, features));
            return features.getValue();
        });
    }

    /** The image's snapshots in creation order. */
    public List<SnapshotInfo> snapshots() {
        return calls.call("list snapshots of " + name, progress -> listSnapshots());
    }

    private List<SnapshotInfo> listSnapshots() {
        int capacity = 16;
        while (true) {
            try (Memory snaps = new Memory((long) SNAP_INFO_BYTES * capacity); Memory max = new Memory(4)) {
                max.setInt(0, capacity);
                int count = LibRbd.rbd_snap_list(image, snaps, max);
                if (count == -Errno.ERANGE) {
                    capacity = Math.max(capacity * 2, max.getInt(0));
                    continue;
                }
                NativeCallException.check("list snapshots of " + name, count);
                List<SnapshotInfo> result = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    long base = (long) i * SNAP_INFO_BYTES;
                    result.add(new SnapshotInfo(snaps.getLong(base), snaps.getLong(base + 8),
                            snaps.getPointer(base + 16).getString(0, StandardCharsets.UTF_8.name())));
                }
                LibRbd.rbd_snap_list_end(snaps);
                result.sort((a, b) -> Long.compare(a.id(), b.id()));
                return result;
            }
        }
    }

    public void createSnapshot(String snapshot) {
        String what = "create snapshot " + name + "@" + snapshot;
        calls.check(what, progress -> LibRbd.rbd_snap_create(image, snapshot));
    }

    /** Resizes; shrinking removes objects, which counts as progress. */
    public void resize(long size) {
        String what = "resize " + name + " to " + size;
        calls.check(what, progress -> {
            LibRbd.ProgressCallback onProgress = (offset, total, arg) -> {
                progress.tick();
                return 0;
            };
            return LibRbd.rbd_resize_with_progress(image, size, onProgress, null);
        });
    }

    void flush() {
        calls.check("flush " + name, progress -> LibRbd.rbd_flush(image));
    }

    /**
     * Lists what differs between {@code fromSnapshot} (or nothing) and this image (or the snapshot it
     * was opened at), with exact extents, not whole objects. Data of a clone's parent is included.
     *
     * @return extents in offset order; {@code data == false} marks ranges that became holes
     */
    public List<Extent> diff(String fromSnapshot, long length) {
        return new ChangedExtents(image, name, calls).list(fromSnapshot, length, features(), objectSize());
    }

    /**
     * The ranges of this image (or snapshot) that hold objects, at object granularity; the rest reads
     * as zeros.
     */
    public List<Extent> allocatedObjects(long length) {
        return new ChangedExtents(image, name, calls).allocatedObjects(length);
    }

    /** The image's metadata (what {@code rbd image-meta list} shows). */
    public Map<String, String> metadata() {
        return calls.call("list metadata of " + name, progress -> listMetadata());
    }

    private Map<String, String> listMetadata() {
        long capacity = 4096;
        while (true) {
            try (Memory keys = new Memory(capacity); Memory values = new Memory(capacity)) {
                LongByReference keysLength = new LongByReference(capacity);
                LongByReference valuesLength = new LongByReference(capacity);
                int rc = LibRbd.rbd_metadata_list(image, "", 0, keys, keysLength, values, valuesLength);
                if (rc == -Errno.ERANGE) {
                    capacity = Math.max(capacity * 2, Math.max(keysLength.getValue(), valuesLength.getValue()));
                    continue;
                }
                NativeCallException.check("list metadata of " + name, rc);
                List<String> keyList = splitNulTerminated(keys, keysLength.getValue());
                List<String> valueList = splitNulTerminated(values, valuesLength.getValue());
                Map<String, String> result = new LinkedHashMap<>();
                for (int i = 0; i < keyList.size(); i++) {
                    result.put(keyList.get(i), valueList.get(i));
                }
                return result;
            }
        }
    }

    public void setMetadata(String key, String value) {
        String what = "set metadata " + key + " on " + name;
        calls.check(what, progress -> LibRbd.rbd_metadata_set(image, key, value));
    }

    /**
     * The address of the exclusive lock's owner ({@code 127.0.0.1:0/123456}), or empty when nobody
     * holds it. Works on an image opened read-only, which adds no watch of its own.
     */
    public Optional<String> lockOwner() {
        return calls.call("find the lock owner of " + name, progress -> {
            long capacity = 256;
            while (true) {
                try (Memory exclusive = new Memory(4); Memory tag = new Memory(capacity);
                     Memory clients = new Memory(capacity); Memory cookies = new Memory(capacity);
                     Memory addrs = new Memory(capacity)) {
                    LongByReference tagLength = new LongByReference(capacity);
                    LongByReference clientsLength = new LongByReference(capacity);
                    LongByReference cookiesLength = new LongByReference(capacity);
                    LongByReference addrsLength = new LongByReference(capacity);
                    long count = LibRbd.rbd_list_lockers(image, exclusive, tag, tagLength, clients, clientsLength,
                            cookies, cookiesLength, addrs, addrsLength);
                    if (count == -Errno.ERANGE) {
                        capacity = Math.max(capacity * 2, Math.max(Math.max(tagLength.getValue(),
                                clientsLength.getValue()), Math.max(cookiesLength.getValue(), addrsLength.getValue())));
                        continue;
                    }
                    NativeCallException.check("find the lock owner of " + name, count);
                    if (count == 0 || exclusive.getInt(0) == 0) {
                        return Optional.<String>empty();
                    }
                    return splitNulTerminated(addrs, addrsLength.getValue()).stream().findFirst();
                }
            }
        });
    }

    /**
     * The clients watching the image, as {@code client.<id> at <address>}: every client that has it
     * open for writing (a read-only open does not watch).
     */
    public List<String> watchers() {
        return watching().stream().map(w -> "client." + w.id() + " at " + w.address()).toList();
    }

    /** The addresses of the clients watching the image, as lock owners are named. */
    public List<String> watcherAddresses() {
        return watching().stream().map(Watcher::address).toList();
    }

    private List<Watcher> watching() {
        return calls.call("list watchers of " + name, progress -> {
            long capacity = 8;
            while (true) {
                try (Memory watchers = new Memory(WATCHER_BYTES * capacity)) {
                    LongByReference max = new LongByReference(capacity);
                    int rc = LibRbd.rbd_watchers_list(image, watchers, max);
                    if (rc == -Errno.ERANGE) {
                        capacity = Math.max(capacity * 2, max.getValue());
                        continue;
                    }
                    NativeCallException.check("list watchers of " + name, rc);
                    List<Watcher> result = new ArrayList<>();
                    for (long i = 0; i < max.getValue(); i++) {
                        long base = i * WATCHER_BYTES;
                        result.add(new Watcher(watchers.getLong(base + 8),
                                watchers.getPointer(base).getString(0, StandardCharsets.UTF_8.name())));
                    }
                    LibRbd.rbd_watchers_list_cleanup(watchers, max.getValue());
                    return result;
                }
            }
        });
    }

    private record Watcher(long id, String address) {
    }

    /**
     * Breaks the exclusive lock {@code owner} holds. librbd blocklists the owner first (as
     * {@code rbd lock break} does), so a client that is alive after all can no longer write.
     */
    public void breakLock(String owner) {
        String what = "break the exclusive lock of " + owner + " on " + name;
        calls.check(what, progress -> LibRbd.rbd_lock_break(image, LibRbd.LOCK_MODE_EXCLUSIVE, owner));
    }

    /** Starts reading {@code length} bytes at {@code offset} into a direct buffer. */
    PendingIo readAsync(long offset, int length, ByteBuffer buffer) {
        return AioCompletion.submit("read " + name + " at " + offset, calls, buffer,
                completion -> LibRbd.rbd_aio_read2(image, offset, length, Native.getDirectBufferPointer(buffer),
                        completion, LibRbd.FADVISE_SEQUENTIAL | LibRbd.FADVISE_NOCACHE));
    }

    /** Starts writing {@code length} bytes of a direct buffer at {@code offset}. */
    PendingIo writeAsync(long offset, int length, ByteBuffer buffer) {
        return AioCompletion.submit("write " + name + " at " + offset, calls, buffer,
                completion -> LibRbd.rbd_aio_write2(image, offset, length, Native.getDirectBufferPointer(buffer),
                        completion, LibRbd.FADVISE_DONTNEED));
    }

    /**
     * Starts making a range read as zeros. librbd deallocates whole objects and zeroes partial ones;
     * unlike {@code rbd_discard} it never silently skips a partial range.
     */
    PendingIo zeroAsync(long offset, long length) {
        return AioCompletion.submit("zero " + name + " at " + offset + "+" + length, calls, null,
                completion -> LibRbd.rbd_aio_write_zeroes(image, offset, length, completion, 0, 0));
    }

    private static List<String> splitNulTerminated(Memory memory, long length) {
        List<String> strings = new ArrayList<>();
        long start = 0;
        for (long i = 0; i < length; i++) {
            if (memory.getByte(i) == 0) {
                if (i > start) {
                    strings.add(new String(memory.getByteArray(start, (int) (i - start)), StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return strings;
    }

    /**
     * Closes the image. librbd waits for the image's IO in flight first; while the cluster is stalled
     * that could be forever, so the close then happens in the background once it answers again.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            calls.release("close " + name, () -> {
                try {
                    NativeCallException.check("close " + name, LibRbd.rbd_close(image));
                } finally {
                    calls.handleClosed();
                }
            });
        }
    }

    /** The image's id: unlike its name, never given to another image (as {@code rbd info} shows it). */
    public String id() {
        return calls.call("id of " + name, progress -> {
            try (Memory id = new Memory(ID_BYTES)) {
                NativeCallException.check("id of " + name, LibRbd.rbd_get_id(image, id, ID_BYTES));
                return id.getString(0, StandardCharsets.UTF_8.name());
            }
        });
    }

    /** The id of the snapshot named {@code snapshot}, or empty when there is none. */
    public OptionalLong snapshotId(String snapshot) {
        return calls.call("id of snapshot " + name + "@" + snapshot, progress -> {
            LongByReference id = new LongByReference();
            int rc = LibRbd.rbd_snap_get_id(image, snapshot, id);
            if (rc == -Errno.ENOENT) {
                return OptionalLong.empty();
            }
            NativeCallException.check("id of snapshot " + name + "@" + snapshot, rc);
            return OptionalLong.of(id.getValue());
        });
    }

    /** When the image was created (librbd's clock, that of the client that created it). */
    public java.time.Instant createdAt() {
        String what = "creation time of " + name;
        return calls.call(what, progress -> {
            try (Memory timespec = new Memory(16)) {
                NativeCallException.check(what, LibRbd.rbd_get_create_timestamp(image, timespec));
                return java.time.Instant.ofEpochSecond(timespec.getLong(0), timespec.getLong(8));
            }
        });
    }

    /** When the snapshot with this id was taken. */
    public java.time.Instant snapshotTime(long snapshotId) {
        String what = "time of snapshot id " + snapshotId + " of " + name;
        return calls.call(what, progress -> {
            try (Memory timespec = new Memory(16)) {
                NativeCallException.check(what, LibRbd.rbd_snap_get_timestamp(image, snapshotId, timespec));
                return java.time.Instant.ofEpochSecond(timespec.getLong(0), timespec.getLong(8));
            }
        });
    }

    /**
     * The name the snapshot with this id had before its removal began, when it is in the trash namespace:
     * a removal (ours, killed half-way) that librbd started and never finished. Empty when the snapshot is
     * gone or is not in the trash.
     */
    public Optional<String> trashedSnapshotName(long snapshotId) {
        String what = "namespace of snapshot id " + snapshotId + " of " + name;
        IntByReference type = new IntByReference();
        int rc = calls.call(what, progress -> LibRbd.rbd_snap_get_namespace_type(image, snapshotId, type));
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        NativeCallException.check(what, rc);
        if (type.getValue() != LibRbd.SNAP_NAMESPACE_TYPE_TRASH) {
            return Optional.empty();
        }
        try (Memory original = new Memory(4096)) {
            String originalWhat = "original name of trashed snapshot id " + snapshotId + " of " + name;
            rc = calls.call(originalWhat, progress -> LibRbd.rbd_snap_get_trash_namespace(image, snapshotId, original,
                    original.size()));
            if (rc == -Errno.ENOENT) {
                return Optional.empty();
            }
            NativeCallException.check(originalWhat, rc);
            return Optional.of(original.getString(0, StandardCharsets.UTF_8.name()));
        }
    }

    /** Reads from the snapshot with this id from now on (any namespace: a group snapshot's image too). */
    public void setSnapshotById(long snapshotId) {
        calls.check("open snapshot id " + snapshotId + " of " + name, progress -> LibRbd.rbd_snap_set_by_id(image,
                snapshotId));
    }

    /**
     * The group snapshot the snapshot with this id belongs to, when a group snapshot created it.
     *
     * @return empty for a snapshot of the user namespace (one {@code rbd snap create} made)
     */
    public Optional<GroupSnapshotImage> groupSnapshotOf(long snapshotId) {
        String what = "namespace of snapshot id " + snapshotId + " of " + name;
        return calls.call(what, progress -> {
            IntByReference type = new IntByReference();
            NativeCallException.check(what, LibRbd.rbd_snap_get_namespace_type(image, snapshotId, type));
            if (type.getValue() != LibRbd.SNAP_NAMESPACE_TYPE_GROUP) {
                return Optional.<GroupSnapshotImage>empty();
            }
            try (Memory info = new Memory(GROUP_NAMESPACE_BYTES)) {
                info.clear();
                NativeCallException.check(what, LibRbd.rbd_snap_get_group_namespace(image, snapshotId, info,
                        GROUP_NAMESPACE_BYTES));
                GroupSnapshotImage found = new GroupSnapshotImage(info.getLong(0),
                        info.getPointer(8).getString(0, StandardCharsets.UTF_8.name()),
                        info.getPointer(16).getString(0, StandardCharsets.UTF_8.name()));
                LibRbd.rbd_snap_group_namespace_cleanup(info, GROUP_NAMESPACE_BYTES);
                return Optional.of(found);
            }
        });
    }

    /** The group this image is a member of: its pool id and name; empty when it is in none. */
    public Optional<GroupMembership> group() {
        String what = "group of " + name;
        return calls.call(what, progress -> {
            try (Memory info = new Memory(GROUP_INFO_BYTES)) {
                info.clear();
                NativeCallException.check(what, LibRbd.rbd_get_group(image, info, GROUP_INFO_BYTES));
                long pool = info.getLong(8);
                Pointer groupName = info.getPointer(0);
                String group = groupName == null ? "" : groupName.getString(0, StandardCharsets.UTF_8.name());
                LibRbd.rbd_group_info_cleanup(info, GROUP_INFO_BYTES);
                return pool < 0 || group.isEmpty() ? Optional.<GroupMembership>empty()
                        : Optional.of(new GroupMembership(pool, group));
            }
        });
    }

    /** Which group snapshot made an image's snapshot: the group's pool id, the group, the group snapshot. */
    public record GroupSnapshotImage(long groupPoolId, String group, String groupSnapshot) {
    }

    /** An image's group: the group's pool id and name. */
    public record GroupMembership(long poolId, String group) {
    }

    /** Removes exactly the snapshot with this id; false when it was already gone. */
    public boolean removeSnapshotById(long snapshotId) {
        String what = "remove snapshot id " + snapshotId + " of " + name;
        int rc = calls.call(what, progress -> LibRbd.rbd_snap_remove_by_id(image, snapshotId));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check(what, rc);
        return true;
    }

    /** Removes a metadata key; false when it was not set. */
    public boolean removeMetadata(String key) {
        String what = "remove metadata " + key + " of " + name;
        int rc = calls.call(what, progress -> LibRbd.rbd_metadata_remove(image, key));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check(what, rc);
        return true;
    }

    /**
     * The owners of the image's exclusive lock (client addresses); empty when nobody holds it or the
     * image has no exclusive-lock feature. Needs a handle opened for writing (see {@link #lockOwner} for
     * one that works read-only).
     */
    public List<String> lockOwners() {
        if ((features() & LibRbd.FEATURE_EXCLUSIVE_LOCK) == 0) {
            return List.of();
        }
        return calls.call("list lock owners of " + name, progress -> {
            int capacity = 4;
            while (true) {
                try (Memory owners = new Memory((long) Native.POINTER_SIZE * capacity)) {
                    IntByReference mode = new IntByReference();
                    LongByReference max = new LongByReference(capacity);
                    int rc = LibRbd.rbd_lock_get_owners(image, mode, owners, max);
                    if (rc == -Errno.ERANGE) {
                        capacity = (int) Math.max(capacity * 2L, max.getValue());
                        continue;
                    }
                    if (rc == -Errno.ENOENT) {
                        return List.<String>of();
                    }
                    NativeCallException.check("list lock owners of " + name, rc);
                    List<String> result = new ArrayList<>();
                    for (int i = 0; i < max.getValue(); i++) {
                        result.add(owners.getPointer((long) i * Native.POINTER_SIZE)
                                .getString(0, StandardCharsets.UTF_8.name()));
                    }
                    LibRbd.rbd_lock_get_owners_cleanup(owners, max.getValue());
                    return result;
                }
            }
        });
    }

    /**
     * Takes the image's exclusive lock and keeps it until the image is closed: another
     * client's writes then fail (EROFS) instead of taking the lock back. Needs the exclusive-lock
     * feature.
     */
    public void acquireExclusiveLock() {
        calls.check("acquire the exclusive lock of " + name,
                progress -> LibRbd.rbd_lock_acquire(image, LibRbd.LOCK_MODE_EXCLUSIVE));
    }

    /** One snapshot of an image. */
    public record SnapshotInfo(long id, long size, String name) {
    }
}
