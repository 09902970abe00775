package io.cairn.ceph.testing;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import io.cairn.devtools.ceph.TestCluster;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One writer over several images that keeps a cross-image invariant, as a database writing its data and log
 * volumes would: sequence number {@code n} is written to every image in turn (image 0, then 1, then 2, ...)
 * before {@code n + 1} is written to any. Each write puts {@code n} into the image's first block (its header)
 * and fills a block elsewhere with it, so the images keep changing all over.
 *
 * <p>At any one instant the headers therefore read {@code (n, n, ..., n, n - 1, ..., n - 1)}: a prefix of the
 * images at some {@code n}, the rest one behind. A copy of the images that holds for every image the same
 * instant satisfies this ({@link #consistent}); copies taken one image after the other while the writer runs
 * almost never do.
 */
public final class SequenceWriter implements AutoCloseable {

    public static final int BLOCK = 4096;

    private final Rados rados;
    private final IoCTX ioctx;
    private final Rbd rbd;
    private final List<RbdImage> images = new ArrayList<>();
    private final int blocks;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    /**
     * Starts writing at once.
     *
     * @param images images of {@code pool}, in the order they are written
     * @param size   their size (the writes stay below it)
     */
    public SequenceWriter(TestCluster cluster, String pool, List<String> images, long size) {
        try {
            rados = new Rados("admin");
            rados.confReadFile(cluster.conf().toFile());
            rados.connect();
            ioctx = rados.ioCtxCreate(pool);
            rbd = new Rbd(ioctx);
            for (String image : images) {
                this.images.add(rbd.open(image));
            }
        } catch (RadosException | RbdException e) {
            throw new IllegalStateException("cannot open the images to write: " + e.getMessage(), e);
        }
        this.blocks = (int) Math.min(Integer.MAX_VALUE, size / BLOCK);
        thread = new Thread(this::writeUntilStopped, "sequence-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void writeUntilStopped() {
        try {
            while (running.get()) {
                long n = sequence.incrementAndGet();
                byte[] block = block(n);
                int elsewhere = 1 + (int) Math.floorMod(n * 7919, blocks - 1);
                for (RbdImage image : images) {
                    image.write(block, (long) elsewhere * BLOCK, BLOCK);
                    image.write(block, 0, BLOCK);
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private static byte[] block(long n) {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        while (buffer.remaining() >= 8) {
            buffer.putLong(n);
        }
        return buffer.array();
    }

    /** The sequence number a block written by this writer holds (its first eight bytes). */
    public static long sequenceOf(byte[] header) {
        return ByteBuffer.wrap(header, 0, 8).getLong();
    }

    /**
     * Whether the images' headers, in writing order, show one instant: {@code (n, ..., n, n - 1, ..., n - 1)}.
     */
    public static boolean consistent(List<Long> headers) {
        long first = headers.get(0);
        boolean behind = false;
        for (long header : headers) {
            if (header == first - 1) {
                behind = true;
            } else if (header != first || behind) {
                return false;
            }
        }
        return true;
    }

    /** How many sequence numbers were started so far. */
    public long written() {
        return sequence.get();
    }

    /** Stops writing, closes the images, and fails if a write failed. */
    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RbdImage image : images) {
            try {
                rbd.close(image);
            } catch (RbdException ignored) {
                // closing is best effort in a test
            }
        }
        try {
            ioctx.close();
        } catch (java.io.IOException ignored) {
            // nothing to release beyond the ioctx
        }
        rados.shutDown();
        if (failure.get() != null) {
            throw new IllegalStateException("the sequence writer failed: " + failure.get(), failure.get());
        }
    }
}
