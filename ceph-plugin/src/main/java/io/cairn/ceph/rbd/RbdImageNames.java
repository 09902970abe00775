package io.cairn.ceph.rbd;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names (and image ids) of the RBD images in one pool (and namespace), through librbd's
 * {@code rbd_list2}, which reads the pool's directory: an image whose removal was interrupted after its
 * header went is still listed there, though it can no longer be opened.
 *
 * <p>Bound here rather than in {@link LibRbd} to keep the volume listing one small, separate piece;
 * JNA registers the same library for several classes without loading it twice.
 */
public final class RbdImageNames {

    static {
        Native.register(RbdImageNames.class, "rbd");
    }

    /** {@code sizeof(rbd_image_spec_t)}: two pointers, {@code id} and {@code name}. */
    private static final int SPEC_BYTES = 2 * Native.POINTER_SIZE;
    private static final int FIRST_GUESS = 64;

    private RbdImageNames() {
    }

    private static native int rbd_list2(Pointer io, Pointer images, Pointer maxImages);

    private static native void rbd_image_spec_list_cleanup(Pointer images, long count);

    /**
     * Lists the images of a pool, sorted by name; bounded by the cluster's timeout.
     *
     * @param where the pool, for error messages
     * @throws NativeCallException when librbd fails
     */
    public static List<String> list(RadosPool pool, String where) {
        List<String> names = new ArrayList<>(specs(pool, where).stream().map(spec -> spec[1]).toList());
        names.sort(null);
        return names;
    }

    /**
     * The image id the pool's directory holds for {@code name}, whether or not the image can be opened;
     * empty when the directory has no such name. Bounded by the cluster's timeout.
     */
    public static Optional<String> idOf(RadosPool pool, String name, String where) {
        return specs(pool, where).stream().filter(spec -> spec[1].equals(name)).map(spec -> spec[0]).findFirst();
    }

    /** Every directory entry as {id, name}. */
    private static List<String[]> specs(RadosPool pool, String where) {
        return pool.calls().call("list images of " + where, progress -> specs(pool.ioctx(), where));
    }

    private static List<String[]> specs(Pointer ioctx, String where) {
        long capacity = FIRST_GUESS;
        while (true) {
            try (Memory specs = new Memory(SPEC_BYTES * capacity); Memory max = new Memory(8)) {
                specs.clear();
                max.setLong(0, capacity);
                int rc = rbd_list2(ioctx, specs, max);
                if (rc == -Errno.ERANGE) {
                    // librbd wrote how many it needs; images may be created meanwhile, so leave room.
                    capacity = Math.max(capacity * 2, max.getLong(0) + FIRST_GUESS);
                    continue;
                }
                NativeCallException.check("list images of " + where, rc);
                long count = max.getLong(0);
                List<String[]> entries = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    Pointer id = specs.getPointer(i * SPEC_BYTES);
                    Pointer name = specs.getPointer(i * SPEC_BYTES + Native.POINTER_SIZE);
                    entries.add(new String[] {id.getString(0, StandardCharsets.UTF_8.name()),
                        name.getString(0, StandardCharsets.UTF_8.name())});
                }
                rbd_image_spec_list_cleanup(specs, count);
                return entries;
            }
        }
    }
}
