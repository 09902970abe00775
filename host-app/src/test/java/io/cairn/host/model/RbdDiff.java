package io.cairn.host.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An {@code rbd diff v1} stream ({@code doc/dev/rbd-diff.rst}) for {@code rbd import-diff}: the one way
 * the rbd CLI writes chosen bytes at chosen offsets. A {@code w} record writes its data (explicit zeros
 * included, which stay allocated); a {@code z} record deallocates (discards) a range.
 */
final class RbdDiff implements AutoCloseable {

    private final OutputStream out;

    RbdDiff(Path file) {
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
            out.write("rbd diff v1\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(long offset, byte[] data) {
        record('w', offset, data.length);
        try {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void discard(long offset, long length) {
        record('z', offset, length);
    }

    private void record(char tag, long offset, long length) {
        ByteBuffer header = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) tag).putLong(offset).putLong(length);
        try {
            out.write(header.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.write('e');
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
