package io.cairn.ceph.rbd;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Direct JNA bindings of the few librados calls we need with exact errno results: an exclusive
 * create (the metadata object is written once and never over), read, write, stat, remove and object
 * listing; an object lock (to check class-write access); the client's address. Connecting, configuring
 * and opening pools goes through rados-java.
 */
public final class LibRados {

    static {
        Native.register(LibRados.class, "rados");
    }

    /** {@code LIBRADOS_CREATE_EXCLUSIVE}: creating an object that exists fails with EEXIST. */
    public static final int CREATE_EXCLUSIVE = 1;

    private LibRados() {
    }

    public static native Pointer rados_create_write_op();

    public static native void rados_release_write_op(Pointer writeOp);

    public static native void rados_write_op_create(Pointer writeOp, int exclusive, String category);

    public static native void rados_write_op_write_full(Pointer writeOp, byte[] buffer, long length);

    public static native int rados_write_op_operate(Pointer writeOp, Pointer ioctx, String oid, Pointer mtime,
                                                    int flags);

    public static native int rados_read(Pointer ioctx, String oid, byte[] buffer, long length, long offset);

    public static native int rados_stat(Pointer ioctx, String oid, LongByReference size, Pointer mtime);

    public static native int rados_remove(Pointer ioctx, String oid);

    public static native int rados_write(Pointer ioctx, String oid, byte[] buffer, long length, long offset);

    /** {@code int rados_nobjects_list_open(rados_ioctx_t io, rados_list_ctx_t *ctx)}. */
    public static native int rados_nobjects_list_open(Pointer ioctx, PointerByReference context);

    /** {@code int rados_nobjects_list_next(ctx, const char **entry, const char **key, const char **nspace)}; -ENOENT at the end. */
    public static native int rados_nobjects_list_next(Pointer context, PointerByReference entry, PointerByReference key,
                                                      PointerByReference namespace);

    public static native void rados_nobjects_list_close(Pointer context);

    /** Takes the cls lock {@code name} on an object, creating the object when missing. */
    public static native int rados_lock_exclusive(Pointer ioctx, String oid, String name, String cookie, String desc,
                                                  Pointer duration, byte flags);

    public static native int rados_unlock(Pointer ioctx, String oid, String name, String cookie);

    /** The client's own addresses, as blocklisting takes them; free with {@link #rados_buffer_free}. */
    public static native int rados_getaddrs(Pointer cluster, PointerByReference addrs);

    public static native void rados_buffer_free(Pointer buffer);

    /** The pool id of an open pool. */
    public static native long rados_ioctx_get_id(Pointer ioctx);

    /** The client ({@code rados_t}) an open pool belongs to. */
    public static native Pointer rados_ioctx_get_cluster(Pointer ioctx);

    /** The name of pool {@code id}; the name's length, or -ENOENT / -ERANGE. */
    public static native int rados_pool_reverse_lookup(Pointer cluster, long id, byte[] buffer, long length);
}
