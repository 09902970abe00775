package io.cairn.ceph.rbd;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The names of the plain RADOS objects of a pool (its default namespace), for finding metadata and
 * digests objects when the catalog is lost. Listing reads every object name of the pool - data objects
 * of images included - so it costs about a second per few hundred thousand objects; only names that
 * pass the filter are kept.
 */
public final class RadosObjectNames {

    private RadosObjectNames() {
    }

    public static List<String> list(RadosPool pool, String where, Predicate<String> keep) {
        // Each name listed is progress: a pool of many objects takes long, but is not stalled.
        return pool.calls().call("list objects of " + where, progress -> list(pool.ioctx(), where, keep, progress));
    }

    private static List<String> list(Pointer ioctx, String where, Predicate<String> keep, NativeCalls.Progress progress) {
        PointerByReference context = new PointerByReference();
        NativeCallException.check("list objects of " + where, LibRados.rados_nobjects_list_open(ioctx, context));
        List<String> names = new ArrayList<>();
        try {
            PointerByReference entry = new PointerByReference();
            while (true) {
                int rc = LibRados.rados_nobjects_list_next(context.getValue(), entry, null, null);
                if (rc == -Errno.ENOENT) {
                    return names;
                }
                NativeCallException.check("list objects of " + where, rc);
                progress.tick();
                String name = entry.getValue().getString(0, StandardCharsets.UTF_8.name());
                if (keep.test(name)) {
                    names.add(name);
                }
            }
        } finally {
            LibRados.rados_nobjects_list_close(context.getValue());
        }
    }
}
