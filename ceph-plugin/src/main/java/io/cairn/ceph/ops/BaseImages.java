package io.cairn.ceph.ops;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.TransientBackendException;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRbd;
import io.cairn.ceph.rbd.NativeCallException;
import java.time.Duration;

/**
 * Creates and removes base images in the backup pool.
 */
final class BaseImages {

    private final Pointer pool;
    private final CephSettings settings;

    BaseImages(Pointer pool, CephSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * The features of a new base image, as the reference driver chooses them: layering; striping v2
     * when a stripe layout is configured; exclusive-lock, object-map and fast-diff (so diffs and
     * restores of the base are cheap); journaling when the backup pool is to be mirrored.
     */
    long features() {
        long features = LibRbd.FEATURE_LAYERING | LibRbd.FEATURE_EXCLUSIVE_LOCK | LibRbd.FEATURE_OBJECT_MAP
                | LibRbd.FEATURE_FAST_DIFF;
        if (settings.stripeUnit() != 0 || settings.stripeCount() != 0) {
            features |= LibRbd.FEATURE_STRIPINGV2;
        }
        if (settings.imageJournals()) {
            features |= LibRbd.FEATURE_JOURNALING;
        }
        return features;
    }

    /**
     * Creates an empty base image.
     *
     * @throws BackendException when an image of that name exists already (it is not ours to touch)
     */
    void create(String name, long size) {
        try (Memory order = new Memory(4)) {
            order.setInt(0, 0);
            int rc = LibRbd.rbd_create3(pool, name, size, features(), order, settings.stripeUnit(),
                    settings.stripeCount());
            if (rc == -Errno.EEXIST) {
                throw new BackendException("base image " + settings.pool() + "/" + name + " exists already");
            }
            NativeCallException.check("create base image " + settings.pool() + "/" + name, rc);
        }
    }

    /**
     * Removes a base image, retrying while it is busy (open elsewhere, or its watch not yet expired),
     * waiting {@code delete_retry_interval} and doubling the wait after each try.
     *
     * @return false when the image did not exist
     * @throws TransientBackendException when it stayed busy through every retry
     */
    boolean remove(String name) {
        Duration wait = settings.deleteRetryInterval();
        for (int attempt = 0; ; attempt++) {
            int rc = LibRbd.rbd_remove(pool, name);
            if (rc == -Errno.ENOENT) {
                return false;
            }
            if (rc != -Errno.EBUSY) {
                NativeCallException.check("remove base image " + settings.pool() + "/" + name, rc);
                return true;
            }
            if (attempt >= settings.deleteRetries()) {
                throw new TransientBackendException("base image " + settings.pool() + "/" + name
                        + " is still in use (busy) after " + (attempt + 1) + " attempts; try the delete again"
                        + " once nothing has it open");
            }
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while waiting to retry", e);
        }
    }
}
