package io.cairn.ceph.rbd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One RBD group in a pool (and namespace): its member images and its group snapshots, through librbd's
 * group API ({@code rbd_group_*}), every call bounded by the pool's watchdog.
 *
 * <p>A group snapshot ({@code rbd group snap create}) blocks writes to every member image for the
 * moment it snapshots them all, so the member images' snapshots - in the <em>group</em> snapshot
 * namespace, named {@code .group.<pool id>_<group id>_<group snapshot id>} - hold one instant.
 */
public final class RbdGroup {

    /** {@code sizeof(rbd_group_image_info_t)}: {@code char *name; int64_t pool; enum state} (padded). */
    private static final int IMAGE_INFO_BYTES = 24;
    /** {@code sizeof(rbd_group_snap_info_t)}: {@code char *name; enum state} (padded). */
    private static final int SNAP_INFO_BYTES = 16;
    /** {@code RBD_GROUP_IMAGE_STATE_ATTACHED}. */
    private static final int IMAGE_ATTACHED = 0;
    /** {@code RBD_GROUP_SNAP_STATE_COMPLETE}. */
    private static final int SNAP_COMPLETE = 1;
    private static final int POOL_NAME_BYTES = 256;

    /** A member image: its pool by id and name, and whether it is fully attached. */
    public record Member(long poolId, String pool, String image, boolean attached) {
    }

    /** A group snapshot by name; incomplete when its creation was interrupted. */
    public record Snapshot(String name, boolean complete) {
    }

    private final RadosPool pool;
    private final String name;

    private RbdGroup(RadosPool pool, String name) {
        this.pool = Objects.requireNonNull(pool, "pool is null");
        this.name = Objects.requireNonNull(name, "name is null");
    }

    /** The group {@code name} in {@code pool}; nothing is looked up yet. */
    public static RbdGroup in(RadosPool pool, String name) {
        return new RbdGroup(pool, name);
    }

    /** Creates the group. */
    public static RbdGroup create(RadosPool pool, String name) {
        String what = "create group " + pool.name() + "/" + name;
        pool.calls().check(what, progress -> LibRbd.rbd_group_create(pool.ioctx(), name));
        return new RbdGroup(pool, name);
    }

    public String name() {
        return name;
    }

    /** As the rbd CLI writes it: {@code pool/group} or {@code pool/namespace/group}. */
    public String spec() {
        return pool.name() + "/" + name;
    }

    /** The pool id of the group's pool. */
    public long poolId() {
        return LibRados.rados_ioctx_get_id(pool.ioctx());
    }

    /** Whether the group exists (listing a missing group's images finds none rather than failing). */
    public boolean exists() {
        String what = "list groups of " + pool.name();
        return pool.calls().call(what, progress -> {
            long capacity = 1024;
            while (true) {
                try (Memory names = new Memory(capacity)) {
                    names.clear();
                    LongByReference size = new LongByReference(capacity);
                    int rc = LibRbd.rbd_group_list(pool.ioctx(), names, size);
                    if (rc == -Errno.ERANGE) {
                        capacity = Math.max(capacity * 2, size.getValue());
                        continue;
                    }
                    NativeCallException.check(what, rc);
                    long offset = 0;
                    while (offset < size.getValue()) {
                        String group = names.getString(offset, StandardCharsets.UTF_8.name());
                        if (group.isEmpty()) {
                            break;
                        }
                        if (group.equals(name)) {
                            return true;
                        }
                        offset += group.getBytes(StandardCharsets.UTF_8).length + 1;
                    }
                    return false;
                }
            }
        });
    }

    /**
     * The member images, in the order librbd lists them.
     *
     * @throws NativeCallException ENOENT when the group does not exist
     */
    public List<Member> images() {
        String what = "list images of group " + spec();
        return pool.calls().call(what, progress -> {
            long capacity = 8;
            while (true) {
                try (Memory infos = new Memory(IMAGE_INFO_BYTES * capacity)) {
                    infos.clear();
                    LongByReference count = new LongByReference(capacity);
                    int rc = LibRbd.rbd_group_image_list(pool.ioctx(), name, infos, IMAGE_INFO_BYTES, count);
                    if (rc == -Errno.ERANGE) {
                        capacity = Math.max(capacity * 2, count.getValue());
                        continue;
                    }
                    NativeCallException.check(what, rc);
                    List<Member> members = new ArrayList<>();
                    for (long i = 0; i < count.getValue(); i++) {
                        long base = i * IMAGE_INFO_BYTES;
                        String image = infos.getPointer(base).getString(0, StandardCharsets.UTF_8.name());
                        long poolId = infos.getLong(base + 8);
                        boolean attached = infos.getInt(base + 16) == IMAGE_ATTACHED;
                        members.add(new Member(poolId, poolName(poolId), image, attached));
                    }
                    LibRbd.rbd_group_image_list_cleanup(infos, IMAGE_INFO_BYTES, count.getValue());
                    return members;
                }
            }
        });
    }

    /** The group's snapshots. */
    public List<Snapshot> snapshots() {
        String what = "list snapshots of group " + spec();
        return pool.calls().call(what, progress -> {
            long capacity = 8;
            while (true) {
                try (Memory infos = new Memory(SNAP_INFO_BYTES * capacity)) {
                    infos.clear();
                    LongByReference count = new LongByReference(capacity);
                    int rc = LibRbd.rbd_group_snap_list(pool.ioctx(), name, infos, SNAP_INFO_BYTES, count);
                    if (rc == -Errno.ERANGE) {
                        capacity = Math.max(capacity * 2, count.getValue());
                        continue;
                    }
                    NativeCallException.check(what, rc);
                    List<Snapshot> snapshots = new ArrayList<>();
                    for (long i = 0; i < count.getValue(); i++) {
                        long base = i * SNAP_INFO_BYTES;
                        snapshots.add(new Snapshot(infos.getPointer(base).getString(0, StandardCharsets.UTF_8.name()),
                                infos.getInt(base + 8) == SNAP_COMPLETE));
                    }
                    LibRbd.rbd_group_snap_list_cleanup(infos, SNAP_INFO_BYTES, count.getValue());
                    return snapshots;
                }
            }
        });
    }

    /** Takes a group snapshot: one snapshot of every member image at the same instant. */
    public void createSnapshot(String snapshot) {
        String what = "create group snapshot " + spec() + "@" + snapshot;
        pool.calls().check(what, progress -> LibRbd.rbd_group_snap_create(pool.ioctx(), name, snapshot));
    }

    /** Removes a group snapshot and its member images' snapshots; false when it was already gone. */
    public boolean removeSnapshot(String snapshot) {
        String what = "remove group snapshot " + spec() + "@" + snapshot;
        int rc = pool.calls().call(what, progress -> LibRbd.rbd_group_snap_remove(pool.ioctx(), name, snapshot));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check(what, rc);
        return true;
    }

    /** Adds an image of {@code imagePool}; EEXIST when it is in a group already. */
    public void addImage(RadosPool imagePool, String image) {
        String what = "add " + imagePool.name() + "/" + image + " to group " + spec();
        pool.calls().check(what, progress -> LibRbd.rbd_group_image_add(pool.ioctx(), name, imagePool.ioctx(), image));
    }

    /** Removes the group (its snapshots, and its images from it); false when it was already gone. */
    public boolean remove() {
        String what = "remove group " + spec();
        int rc = pool.calls().call(what, progress -> LibRbd.rbd_group_remove(pool.ioctx(), name));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check(what, rc);
        return true;
    }

    private String poolName(long poolId) {
        if (poolId == poolId()) {
            String key = pool.name();
            int slash = key.indexOf('/');
            return slash < 0 ? key : key.substring(0, slash);
        }
        byte[] buffer = new byte[POOL_NAME_BYTES];
        Pointer cluster = LibRados.rados_ioctx_get_cluster(pool.ioctx());
        int rc = LibRados.rados_pool_reverse_lookup(cluster, poolId, buffer, buffer.length);
        NativeCallException.check("name of pool id " + poolId, rc);
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }
}
