package io.cairn.ceph.copy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.cairn.api.error.BackendException;
import java.nio.charset.StandardCharsets;

/**
 * A cephx key as a file that exists only in this process's memory ({@code memfd_create}), for an
 * {@code rbd} child to read through {@code --keyfile /proc/<pid>/fd/<n>}.
 *
 * <p>Nothing reaches a disk, and the key is on no command line. A pipe would not do: Ceph reads a key
 * file as many bytes as {@code fstat} says it holds (none, for a pipe), and it reads it more than once
 * (for the monitors' configuration, then for the connection). The memory file goes away when it is
 * closed or when this process dies, even by SIGKILL.
 */
final class InMemoryKeyFile implements AutoCloseable {

    /** {@code MFD_CLOEXEC}: other children do not inherit the descriptor. */
    private static final int MFD_CLOEXEC = 1;

    private final int fd;
    private boolean closed;

    private InMemoryKeyFile(int fd) {
        this.fd = fd;
    }

    /** Creates the memory file holding {@code key} (a base64 cephx key) and a newline. */
    static InMemoryKeyFile holding(String key) {
        int fd;
        try {
            fd = LibC.memfd_create("cairn-key", MFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw new BackendException("cannot hand the cephx key to rbd: memfd_create failed (errno "
                    + e.getErrorCode() + ")", e);
        }
        InMemoryKeyFile file = new InMemoryKeyFile(fd);
        byte[] bytes = (key + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            long written = LibC.write(fd, bytes, bytes.length);
            if (written != bytes.length) {
                throw new BackendException("cannot hand the cephx key to rbd: short write to its memory file");
            }
        } catch (LastErrorException | BackendException e) {
            file.close();
            throw e instanceof BackendException b ? b
                    : new BackendException("cannot hand the cephx key to rbd: write failed", e);
        }
        return file;
    }

    /** The path a child opens to read the key: {@code /proc/<this pid>/fd/<n>}. */
    String path() {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to release beyond the descriptor
            }
        }
    }

    /** The three libc calls involved. */
    private static final class LibC {
        static {
            Native.register(LibC.class, "c");
        }

        private LibC() {
        }

        static native int memfd_create(String name, int flags) throws LastErrorException;

        static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }
}
