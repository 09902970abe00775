package io.cairn.ceph.store;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.digest.Sha256;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRados;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code backup.<id>.digests} objects in the backup pool, beside the metadata objects: written once
 * while a backup is stored (a second write is an error), read by verify and by the next incremental
 * (which carries the entries of unchanged chunks forward), removed on delete.
 *
 * <p>A table is 32 bytes a chunk: 512 KiB for a 1 GiB volume in 64 KiB chunks, at most 4 MiB up to 512 GiB,
 * 8 MiB for 1 TiB (see {@link io.cairn.ceph.digest.ChunkSizes}). Objects larger than one write allows are
 * written in pieces after an exclusive create of the first; until the backup's restore point exists a
 * torn object is never read (and its trailing checksum would not match).
 */
public final class DigestObjects {

    /** Bytes per write and per read: well below osd_max_write_size (90 MiB by default). */
    private static final int PIECE = 16 << 20;

    private final RadosPool pool;
    private final String poolName;

    public DigestObjects(RadosPool pool, String poolName) {
        this.pool = pool;
        this.poolName = poolName;
    }

    /**
     * Creates the object; fails if it exists.
     *
     * @return its identity ({@link ChunkDigests#identityOf})
     */
    public String create(BackupId backupId, ChunkDigests digests) {
        String name = BackupNames.digestObject(backupId);
        byte[] bytes = digests.toBytes();
        byte[] first = bytes.length <= PIECE ? bytes : Arrays.copyOf(bytes, PIECE);
        int rc = pool.call("write " + poolName + "/" + name, progress -> {
            Pointer op = LibRados.rados_create_write_op();
            try {
                LibRados.rados_write_op_create(op, LibRados.CREATE_EXCLUSIVE, null);
                LibRados.rados_write_op_write_full(op, first, first.length);
                return LibRados.rados_write_op_operate(op, pool.ioctx(), name, null, 0);
            } finally {
                LibRados.rados_release_write_op(op);
            }
        });
        if (rc == -Errno.EEXIST) {
            throw new BackendException("digests object " + poolName + "/" + name
                    + " exists already; a backup id is never reused");
        }
        NativeCallException.check("write " + poolName + "/" + name, rc);
        for (int offset = first.length; offset < bytes.length; offset += PIECE) {
            byte[] piece = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + PIECE));
            long at = offset;
            pool.calls().check("write " + poolName + "/" + name + " at " + offset,
                    progress -> LibRados.rados_write(pool.ioctx(), name, piece, piece.length, at));
        }
        return ChunkDigests.identityOf(Arrays.copyOfRange(bytes, bytes.length - Sha256.LENGTH, bytes.length));
    }

    /**
     * Reads the object, or empty when it does not exist.
     *
     * @throws ChunkDigests.DigestsDamagedException when it exists but is not a whole, undamaged table
     */
    public Optional<ChunkDigests> read(BackupId backupId) {
        String name = BackupNames.digestObject(backupId);
        return readBytes(name).map(bytes -> ChunkDigests.parse(bytes, "digests object " + poolName + "/" + name));
    }

    /** The object's identity (the start of its trailing checksum), read without the rest; empty when absent. */
    public Optional<String> identity(BackupId backupId) {
        String name = BackupNames.digestObject(backupId);
        OptionalSize size = stat(name);
        if (!size.exists() || size.bytes() < Sha256.LENGTH) {
            return Optional.empty();
        }
        byte[] trailer = new byte[Sha256.LENGTH];
        int read = (int) pool.calls().check("read " + poolName + "/" + name,
                progress -> LibRados.rados_read(pool.ioctx(), name, trailer, trailer.length, size.bytes() - Sha256.LENGTH));
        return read == Sha256.LENGTH ? Optional.of(ChunkDigests.identityOf(trailer)) : Optional.empty();
    }

    /** Whether the object exists. */
    public boolean exists(BackupId backupId) {
        return stat(BackupNames.digestObject(backupId)).exists();
    }

    /** Removes the object; returns false when it did not exist. */
    public boolean remove(BackupId backupId) {
        String name = BackupNames.digestObject(backupId);
        int rc = pool.call("remove " + poolName + "/" + name, progress -> LibRados.rados_remove(pool.ioctx(), name));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check("remove " + poolName + "/" + name, rc);
        return true;
    }

    private record OptionalSize(boolean exists, long bytes) {
    }

    private OptionalSize stat(String name) {
        LongByReference size = new LongByReference();
        int rc = pool.call("stat " + poolName + "/" + name, progress -> LibRados.rados_stat(pool.ioctx(), name, size, null));
        if (rc == -Errno.ENOENT) {
            return new OptionalSize(false, 0);
        }
        NativeCallException.check("stat " + poolName + "/" + name, rc);
        return new OptionalSize(true, size.getValue());
    }

    private Optional<byte[]> readBytes(String name) {
        OptionalSize size = stat(name);
        if (!size.exists()) {
            return Optional.empty();
        }
        if (size.bytes() > Integer.MAX_VALUE - 16) {
            throw new BackendException(poolName + "/" + name + " is too large to be a digests object");
        }
        byte[] bytes = new byte[(int) size.bytes()];
        int done = 0;
        while (done < bytes.length) {
            int length = Math.min(PIECE, bytes.length - done);
            // The first piece is read straight into place; JNA cannot point into the middle of an array.
            byte[] piece = done == 0 ? bytes : new byte[length];
            long at = done;
            int read = (int) pool.calls().check("read " + poolName + "/" + name,
                    progress -> LibRados.rados_read(pool.ioctx(), name, piece, length, at));
            if (read <= 0) {
                break;
            }
            if (piece != bytes) {
                System.arraycopy(piece, 0, bytes, done, read);
            }
            done += read;
        }
        return Optional.of(done == bytes.length ? bytes : Arrays.copyOf(bytes, done));
    }
}
