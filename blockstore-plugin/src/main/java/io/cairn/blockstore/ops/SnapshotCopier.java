package io.cairn.blockstore.ops;

import io.cairn.api.error.BackendException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Freezes a volume into a snapshot file: a reflink clone ({@code cp --reflink=always}: instant and
 * copy-on-write, on XFS, btrfs, or NFS 4.2 with clone support), or a sparse copy (blocks of zeros are
 * left as holes). A copy is a point in time only if nothing writes the volume while it is made; a
 * clone is one always.
 */
public final class SnapshotCopier {

    private static final int BLOCK = 1 << 20;
    private static final long CLONE_TIMEOUT_SECONDS = 600;

    private final String mode;

    /** @param mode {@code auto}, {@code reflink} or {@code copy} */
    public SnapshotCopier(String mode) {
        this.mode = mode;
    }

    /** Makes {@code target} (which must not exist) a snapshot of {@code source}; returns how. */
    String copy(Path source, Path target, long size) throws IOException {
        if (!mode.equals("copy")) {
            String failure = cloneOrWhyNot(source, target);
            if (failure == null) {
                return "reflink";
            }
            Files.deleteIfExists(target);
            if (mode.equals("reflink")) {
                throw new BackendException("cannot clone " + source + " (snapshots: reflink): " + failure
                        + "; the file system must support reflinks (XFS, btrfs), or use snapshots: copy");
            }
        }
        sparseCopy(source, target, size);
        return "copy";
    }

    private static String cloneOrWhyNot(Path source, Path target) throws IOException {
        Process process = new ProcessBuilder(List.of("cp", "--reflink=always", "--", source.toString(), target.toString()))
                .redirectErrorStream(true).start();
        try {
            if (!process.waitFor(CLONE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "cp --reflink did not finish in " + CLONE_TIMEOUT_SECONDS + " s";
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while cloning " + source);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? null : output;
    }

    private static void sparseCopy(Path source, Path target, long size) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            for (long position = 0; position < size; position += BLOCK) {
                buffer.clear().limit((int) Math.min(BLOCK, size - position));
                while (buffer.hasRemaining()) {
                    if (in.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(source + " ended at " + (position + buffer.position()) + " of " + size + " bytes");
                    }
                }
                buffer.flip();
                if (!Zeros.isZero(buffer.array(), buffer.limit())) {
                    while (buffer.hasRemaining()) {
                        out.write(buffer, position + buffer.position());
                    }
                }
            }
            // Holes up to the end: the copy has the source's size.
            out.truncate(size);
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
            out.force(true);
        }
    }
}
