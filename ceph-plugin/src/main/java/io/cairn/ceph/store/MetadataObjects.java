package io.cairn.ceph.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRados;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code backup.<id>.meta} objects in the backup pool: written once (a second write is an error,
 * as in the reference driver), read on restore, removed on delete.
 */
public final class MetadataObjects {

    /** Only for reading: set up on first use (a backup writes its object without it, {@link BackupMetadata#toJson}). */
    private static final class Reader {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final RadosPool pool;
    private final String poolName;

    public MetadataObjects(RadosPool pool, String poolName) {
        this.pool = pool;
        this.poolName = poolName;
    }

    /**
     * Creates the object; fails if it exists.
     *
     * @return its {@link #identity}, computed from the bytes written: the object is created and written in one
     *         exclusive operation, so it holds exactly them (reading it back cost two more round trips)
     * @throws BackendException when it exists already or cannot be written
     */
    public String create(BackupId backupId, BackupMetadata metadata) {
        String name = BackupNames.metadataObject(backupId);
        byte[] bytes = metadata.toJson();
        int rc = pool.call("write " + poolName + "/" + name, progress -> {
            Pointer op = LibRados.rados_create_write_op();
            try {
                LibRados.rados_write_op_create(op, LibRados.CREATE_EXCLUSIVE, null);
                LibRados.rados_write_op_write_full(op, bytes, bytes.length);
                return LibRados.rados_write_op_operate(op, pool.ioctx(), name, null, 0);
            } finally {
                LibRados.rados_release_write_op(op);
            }
        });
        if (rc == -Errno.EEXIST) {
            throw new BackendException("metadata object " + poolName + "/" + name
                    + " exists already; a backup id is never reused");
        }
        NativeCallException.check("write " + poolName + "/" + name, rc);
        return identityOf(bytes);
    }

    /** Reads the object, or empty when it does not exist. */
    public Optional<BackupMetadata> read(BackupId backupId) {
        String name = BackupNames.metadataObject(backupId);
        Optional<byte[]> bytes = readBytes(name);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Reader.JSON.readValue(new String(bytes.get(), StandardCharsets.UTF_8), BackupMetadata.class));
        } catch (JsonProcessingException e) {
            throw new BackendException("metadata object " + poolName + "/" + name + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The object's identity: the start of the SHA-256 of its content, which is written once and names
     * the backup and the moment of its snapshot, so an object written later under the same name does
     * not share it. Empty when the object does not exist.
     */
    public Optional<String> identity(BackupId backupId) {
        return readBytes(BackupNames.metadataObject(backupId)).map(MetadataObjects::identityOf);
    }

    private static String identityOf(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<byte[]> readBytes(String name) {
        return pool.calls().call("read " + poolName + "/" + name, progress -> {
            LongByReference size = new LongByReference();
            int rc = LibRados.rados_stat(pool.ioctx(), name, size, null);
            if (rc == -Errno.ENOENT) {
                return Optional.empty();
            }
            NativeCallException.check("stat " + poolName + "/" + name, rc);
            byte[] bytes = new byte[(int) size.getValue()];
            int read = (int) NativeCallException.check("read " + poolName + "/" + name,
                    LibRados.rados_read(pool.ioctx(), name, bytes, bytes.length, 0));
            return Optional.of(read == bytes.length ? bytes : Arrays.copyOf(bytes, read));
        });
    }

    /** Removes the object; returns false when it did not exist. */
    public boolean remove(BackupId backupId) {
        String name = BackupNames.metadataObject(backupId);
        int rc = pool.call("remove " + poolName + "/" + name, progress -> LibRados.rados_remove(pool.ioctx(), name));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check("remove " + poolName + "/" + name, rc);
        return true;
    }
}
