package io.cairn.ceph.testing;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.cairn.devtools.ceph.TestCluster;
import java.util.Random;

/**
 * Writes test data into RBD images through rados-java - a binding independent of the plugin's own -
 * so tests do not check the plugin with itself. Checksums are read back with the rbd CLI.
 */
public final class TestVolumes implements AutoCloseable {

    /** The one call rados-java lacks that tests need: deallocating a range. */
    private static final class Discard {
        static {
            Native.register(Discard.class, "rbd");
        }

        static native int rbd_discard(Pointer image, long offset, long length);
    }

    private final Rados rados;
    private final IoCTX ioctx;
    private final Rbd rbd;
    private final String pool;
    private final Random random;

    public TestVolumes(TestCluster cluster, String pool, long seed) {
        try {
            rados = new Rados("admin");
            rados.confReadFile(cluster.conf().toFile());
            rados.connect();
            ioctx = rados.ioCtxCreate(pool);
            rbd = new Rbd(ioctx);
            this.pool = pool;
            this.random = new Random(seed);
        } catch (RadosException e) {
            throw new IllegalStateException("cannot connect to test cluster " + cluster.name(), e);
        }
    }

    /** Creates an image with the cluster's default features (4 MiB objects). */
    public String create(String image, long size) {
        try {
            rbd.create(image, size, 61L /* layering, exclusive-lock, object-map, fast-diff, deep-flatten */, 22);
            return pool + "/" + image;
        } catch (RbdException e) {
            throw new IllegalStateException("create " + image, e);
        }
    }

    /** Writes {@code length} random bytes at {@code offset}. */
    public void writeRandom(String image, long offset, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        write(image, offset, data);
    }

    /** Writes explicit zeros (allocating them), which a backup must still restore as zeros. */
    public void writeZeros(String image, long offset, int length) {
        write(image, offset, new byte[length]);
    }

    public void write(String image, long offset, byte[] data) {
        withImage(image, handle -> {
            for (int done = 0; done < data.length; ) {
                int n = Math.min(4 << 20, data.length - done);
                byte[] piece = done == 0 && n == data.length ? data : java.util.Arrays.copyOfRange(data, done, done + n);
                handle.write(piece, offset + done, n);
                done += n;
            }
        });
    }

    /** Many small random writes spread over the image, as a busy database would make. */
    public void scatterRandomWrites(String image, long imageSize, int count, int size) {
        for (int i = 0; i < count; i++) {
            long offset = (Math.floorMod(random.nextLong(), imageSize - size)) / 512 * 512;
            writeRandom(image, offset, size);
        }
    }

    /** Deallocates a range: it reads as zeros afterwards. */
    public void discard(String image, long offset, long length) {
        withImage(image, handle -> {
            int rc = Discard.rbd_discard(handle.getPointer(), offset, length);
            if (rc < 0) {
                throw new RbdException("rbd_discard returned " + rc);
            }
        });
    }

    public void resize(String image, long size) {
        withImage(image, handle -> handle.resize(size));
    }

    /** Opens an image and keeps it open (holding a watch) until the returned handle is closed. */
    public AutoCloseable holdOpen(String poolName, String image) {
        try {
            IoCTX other = rados.ioCtxCreate(poolName);
            Rbd otherRbd = new Rbd(other);
            RbdImage handle = otherRbd.open(image);
            return () -> {
                otherRbd.close(handle);
                other.close();
            };
        } catch (RadosException | RbdException e) {
            throw new IllegalStateException("open " + poolName + "/" + image, e);
        }
    }

    private interface ImageAction {
        void run(RbdImage image) throws RbdException;
    }

    private void withImage(String image, ImageAction action) {
        try {
            RbdImage handle = rbd.open(image);
            try {
                action.run(handle);
            } finally {
                rbd.close(handle);
            }
        } catch (RbdException e) {
            throw new IllegalStateException(e.getMessage() + " on " + pool + "/" + image, e);
        }
    }

    @Override
    public void close() {
        try {
            ioctx.close();
        } catch (java.io.IOException ignored) {
            // nothing to release beyond the ioctx
        }
        rados.shutDown();
    }
}
