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
 */
public final class RbdImageHandle implements AutoCloseable {

    /** Offset of {@code obj_size} in {@code rbd_image_info_t} (after {@code uint64_t size}). */
    private static final int INFO_OBJECT_SIZE_OFFSET = 8;
    private static final int INFO_STRUCT_BYTES = 256;
    /** {@code rbd_snap_info_t} is {@code {uint64_t id; uint64_t size; const char *name;}}. */
    private static final int SNAP_INFO_BYTES = 24;
    /** {@code rbd_image_watcher_t} is {@code {char *addr; int64_t id; uint64_t cookie;}}. */
    private static final int WATCHER_BYTES = 24;
    /** Room for an image id (librbd's are 12-16 characters). */
    private static final int ID_BYTES = 128;

    private final Pointer image;
    private final String name;
    private boolean closed;

    private RbdImageHandle(Pointer image, String name) {
        this.image = image;
        this.name = name;
    }

    /**
     * Opens an image.
     *
     * @param ioctx    the pool's rados_ioctx_t
     * @param name     what to call it in errors ({@code pool/image} or {@code pool/image@snap})
     * @param image    the image name in the pool
     * @param snapshot a snapshot to open instead of the head, or {@code null}
     * @param readOnly whether to open read-only (no exclusive lock, no watch)
     * @throws NativeCallException ENOENT when the image or snapshot does not exist
     */
    public static RbdImageHandle open(Pointer ioctx, String name, String image, String snapshot, boolean readOnly) {
        PointerByReference out = new PointerByReference();
        int rc = readOnly
                ? LibRbd.rbd_open_read_only(ioctx, image, out, snapshot)
                : LibRbd.rbd_open(ioctx, image, out, snapshot);
        NativeCallException.check("open " + name, rc);
        return new RbdImageHandle(out.getValue(), name);
    }

    public String name() {
        return name;
    }

    public long size() {
        LongByReference size = new LongByReference();
        NativeCallException.check("size of " + name, LibRbd.rbd_get_size(image, size));
        return size.getValue();
    }

    /** The image's object size: RBD's unit of allocation, and our unit of IO. */
    public long objectSize() {
        try (Memory info = new Memory(INFO_STRUCT_BYTES)) {
            NativeCallException.check("stat " + name, LibRbd.rbd_stat(image, info, INFO_STRUCT_BYTES));
            return info.getLong(INFO_OBJECT_SIZE_OFFSET);
        }
    }

    public long features() {
        LongByReference features = new LongByReference();
        NativeCallException.check("features of " + name, LibRbd.rbd_get_features(image, features));
        return features.getValue();
    }

    /** The image's snapshots in creation order. */
    public List<SnapshotInfo> snapshots() {
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
        NativeCallException.check("create snapshot " + name + "@" + snapshot, LibRbd.rbd_snap_create(image, snapshot));
    }

    public void removeSnapshot(String snapshot) {
        NativeCallException.check("remove snapshot " + name + "@" + snapshot, LibRbd.rbd_snap_remove(image, snapshot));
    }

    public void resize(long size) {
        NativeCallException.check("resize " + name + " to " + size, LibRbd.rbd_resize(image, size));
    }

    public void flush() {
        NativeCallException.check("flush " + name, LibRbd.rbd_flush(image));
    }

    /**
     * Lists what differs between {@code fromSnapshot} (or nothing) and this image (or the snapshot it
     * was opened at), with exact extents, not whole objects. Data of a clone's parent is included.
     *
     * @return extents in offset order; {@code data == false} marks ranges that became holes
     */
    public List<Extent> diff(String fromSnapshot, long length) {
        return new ChangedExtents(image, name).list(fromSnapshot, length, features(), objectSize());
    }

    /** The image's metadata (what {@code rbd image-meta list} shows). */
    public Map<String, String> metadata() {
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
        NativeCallException.check("set metadata " + key + " on " + name, LibRbd.rbd_metadata_set(image, key, value));
    }

    /** Starts reading {@code length} bytes at {@code offset} into a direct buffer. */
    public PendingIo readAsync(long offset, int length, ByteBuffer buffer) {
        AioCompletion completion = AioCompletion.create("read " + name + " at " + offset);
        int rc = LibRbd.rbd_aio_read2(image, offset, length, Native.getDirectBufferPointer(buffer),
                completion.pointer(), LibRbd.FADVISE_SEQUENTIAL | LibRbd.FADVISE_NOCACHE);
        return started(completion, rc);
    }

    /** Starts writing {@code length} bytes of a direct buffer at {@code offset}. */
    public PendingIo writeAsync(long offset, int length, ByteBuffer buffer) {
        AioCompletion completion = AioCompletion.create("write " + name + " at " + offset);
        int rc = LibRbd.rbd_aio_write2(image, offset, length, Native.getDirectBufferPointer(buffer),
                completion.pointer(), LibRbd.FADVISE_DONTNEED);
        return started(completion, rc);
    }

    /**
     * Starts making a range read as zeros. librbd deallocates whole objects and zeroes partial ones;
     * unlike {@code rbd_discard} it never silently skips a partial range.
     */
    public PendingIo zeroAsync(long offset, long length) {
        AioCompletion completion = AioCompletion.create("zero " + name + " at " + offset + "+" + length);
        int rc = LibRbd.rbd_aio_write_zeroes(image, offset, length, completion.pointer(), 0, 0);
        return started(completion, rc);
    }

    private static PendingIo started(AioCompletion completion, int submitResult) {
        if (submitResult < 0) {
            completion.releaseUnused();
            NativeCallException.check("submit", submitResult);
        }
        return completion;
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

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeCallException.check("close " + name, LibRbd.rbd_close(image));
        }
    }

    /** The image's id: unlike its name, never given to another image (as {@code rbd info} shows it). */
    public String id() {
        try (Memory id = new Memory(ID_BYTES)) {
            NativeCallException.check("id of " + name, LibRbd.rbd_get_id(image, id, ID_BYTES));
            return id.getString(0, StandardCharsets.UTF_8.name());
        }
    }

    /** The id of the snapshot named {@code snapshot}, or empty when there is none. */
    public OptionalLong snapshotId(String snapshot) {
        LongByReference id = new LongByReference();
        int rc = LibRbd.rbd_snap_get_id(image, snapshot, id);
        if (rc == -Errno.ENOENT) {
            return OptionalLong.empty();
        }
        NativeCallException.check("id of snapshot " + name + "@" + snapshot, rc);
        return OptionalLong.of(id.getValue());
    }

    /**
     * The name the snapshot with this id had before its removal began, when it is in the trash namespace:
     * a removal (ours, killed half-way) that librbd started and never finished. Empty when the snapshot is
     * gone or is not in the trash.
     */
    public Optional<String> trashedSnapshotName(long snapshotId) {
        IntByReference type = new IntByReference();
        int rc = LibRbd.rbd_snap_get_namespace_type(image, snapshotId, type);
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        NativeCallException.check("namespace of snapshot id " + snapshotId + " of " + name, rc);
        if (type.getValue() != LibRbd.SNAP_NAMESPACE_TYPE_TRASH) {
            return Optional.empty();
        }
        try (Memory original = new Memory(4096)) {
            rc = LibRbd.rbd_snap_get_trash_namespace(image, snapshotId, original, original.size());
            if (rc == -Errno.ENOENT) {
                return Optional.empty();
            }
            NativeCallException.check("original name of trashed snapshot id " + snapshotId + " of " + name, rc);
            return Optional.of(original.getString(0, StandardCharsets.UTF_8.name()));
        }
    }

    /** Removes exactly the snapshot with this id; false when it was already gone. */
    public boolean removeSnapshotById(long snapshotId) {
        int rc = LibRbd.rbd_snap_remove_by_id(image, snapshotId);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check("remove snapshot id " + snapshotId + " of " + name, rc);
        return true;
    }

    /** Removes a metadata key; false when it was not set. */
    public boolean removeMetadata(String key) {
        int rc = LibRbd.rbd_metadata_remove(image, key);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check("remove metadata " + key + " of " + name, rc);
        return true;
    }

    /**
     * The clients watching the image, as {@code client.<id> at <address>}: every client that has it
     * open for writing (a read-only open does not watch).
     */
    public List<String> watchers() {
        int capacity = 8;
        while (true) {
            try (Memory watchers = new Memory((long) WATCHER_BYTES * capacity)) {
                LongByReference max = new LongByReference(capacity);
                int rc = LibRbd.rbd_watchers_list(image, watchers, max);
                if (rc == -Errno.ERANGE) {
                    capacity = (int) Math.max(capacity * 2L, max.getValue());
                    continue;
                }
                NativeCallException.check("list watchers of " + name, rc);
                List<String> result = new ArrayList<>();
                for (int i = 0; i < max.getValue(); i++) {
                    long base = (long) i * WATCHER_BYTES;
                    result.add("client." + watchers.getLong(base + 8) + " at "
                            + watchers.getPointer(base).getString(0, StandardCharsets.UTF_8.name()));
                }
                LibRbd.rbd_watchers_list_cleanup(watchers, max.getValue());
                return result;
            }
        }
    }

    /**
     * The owners of the image's exclusive lock (client addresses); empty when nobody holds it or the
     * image has no exclusive-lock feature. Needs a handle opened for writing.
     */
    public List<String> lockOwners() {
        if ((features() & LibRbd.FEATURE_EXCLUSIVE_LOCK) == 0) {
            return List.of();
        }
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
                    return List.of();
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
    }

    /**
     * Takes the image's exclusive lock and keeps it until {@link #releaseLock} or close: another
     * client's writes then fail (EROFS) instead of taking the lock back. Needs the exclusive-lock
     * feature.
     */
    public void acquireExclusiveLock() {
        NativeCallException.check("acquire the exclusive lock of " + name,
                LibRbd.rbd_lock_acquire(image, LibRbd.LOCK_MODE_EXCLUSIVE));
    }

    public void releaseLock() {
        NativeCallException.check("release the exclusive lock of " + name, LibRbd.rbd_lock_release(image));
    }

    /** One snapshot of an image. */
    public record SnapshotInfo(long id, long size, String name) {
    }
}
