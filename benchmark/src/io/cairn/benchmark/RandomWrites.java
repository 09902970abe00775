package io.cairn.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes of random bytes at chosen places of an image, fed to {@code rbd import-diff} as a diff stream.
 *
 * <p>Why not {@code rbd bench --io-type write}: it fills its buffers with one repeated byte, which
 * could be zero and would then be skipped by every zero-aware copier, ours included. Random bytes
 * cannot be skipped or compressed, and a seed makes every run write the same thing. The stream is the
 * documented {@code rbd diff v1} format: a banner, one {@code 'w'} record (offset, length, data, little
 * endian) per write, and {@code 'e'}; without {@code 'f'} and {@code 't'} records import-diff checks no
 * snapshot and creates none.
 *
 * @param writes what to write, in order
 */
record RandomWrites(List<Write> writes) {

    static final int KIB = 1024;
    static final int MIB = 1024 * KIB;
    static final long GIB = 1024L * MIB;
    /** The RBD object size of every image the benchmark creates (librbd's default). */
    static final int OBJECT_SIZE = 4 * MIB;

    /** {@code length} bytes at {@code offset}. */
    record Write(long offset, int length) {
    }

    /** {@code total} bytes from {@code offset} on, in pieces of one object. */
    static RandomWrites contiguous(long offset, long total) {
        List<Write> writes = new ArrayList<>();
        for (long done = 0; done < total; done += OBJECT_SIZE) {
            writes.add(new Write(offset + done, (int) Math.min(OBJECT_SIZE, total - done)));
        }
        return new RandomWrites(writes);
    }

    /** {@code count} whole objects, evenly spaced over an image of {@code imageSize}. */
    static RandomWrites spreadObjects(int count, long imageSize) {
        long objects = imageSize / OBJECT_SIZE;
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(new Write(i * objects / count * OBJECT_SIZE, OBJECT_SIZE));
        }
        return new RandomWrites(writes);
    }

    /**
     * {@code count} writes of {@code length} bytes at random offsets aligned to {@code length}, anywhere
     * in an image of {@code imageSize} (places may repeat, as with {@code rbd bench --io-pattern rand}).
     */
    static RandomWrites randomPlaces(int count, int length, long imageSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(new Write(random.nextLong(imageSize / length) * length, length));
        }
        return new RandomWrites(writes);
    }

    /** {@code count} distinct objects of an image of {@code imageSize}, chosen at random, in offset order. */
    static List<Long> randomObjects(int count, long imageSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Set<Long> objects = new LinkedHashSet<>();
        while (objects.size() < count) {
            objects.add(random.nextLong(imageSize / OBJECT_SIZE));
        }
        return objects.stream().sorted().map(object -> object * OBJECT_SIZE).toList();
    }

    /** One write of {@code length} bytes at a random aligned place inside each of the given objects. */
    static RandomWrites insideObjects(List<Long> objectOffsets, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Write> writes = new ArrayList<>();
        for (long object : objectOffsets) {
            writes.add(new Write(object + random.nextLong(OBJECT_SIZE / length) * length, length));
        }
        return new RandomWrites(writes);
    }

    long totalBytes() {
        return writes.stream().mapToLong(Write::length).sum();
    }

    /** Writes the diff stream, with random data drawn from {@code seed}. */
    void writeStream(OutputStream out, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[0];
        ByteBuffer header = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN);
        try {
            out.write("rbd diff v1\n".getBytes(StandardCharsets.US_ASCII));
            for (Write write : writes) {
                header.clear();
                header.put((byte) 'w').putLong(write.offset()).putLong(write.length());
                out.write(header.array(), 0, header.position());
                if (data.length != write.length()) {
                    data = new byte[write.length()];
                }
                random.nextBytes(data);
                out.write(data);
            }
            out.write('e');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
