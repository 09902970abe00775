package io.cairn.ceph.store;

import com.sun.jna.Memory;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.TransientBackendException;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRbd;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes base images in the backup pool. Every call is bounded by the cluster's timeout;
 * removing a large image counts each object removed as progress.
 */
public final class BaseImages {

    private static final Logger LOG = LoggerFactory.getLogger(BaseImages.class);

    private final RadosPool pool;
    private final CephSettings settings;

    public BaseImages(RadosPool pool, CephSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * The features of a new base image, as the reference driver chooses them: layering; striping v2
     * when a stripe layout is configured; exclusive-lock, object-map and fast-diff (so diffs and
     * restores of the base are cheap); journaling when the backup pool is to be mirrored.
     */
    private long features() {
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
    public void create(String name, long size) {
        String spec = settings.pool() + "/" + name;
        int rc = pool.call("create base image " + spec, progress -> {
            try (Memory order = new Memory(4)) {
                order.setInt(0, 0);
                return LibRbd.rbd_create3(pool.ioctx(), name, size, features(), order, settings.stripeUnit(),
                        settings.stripeCount());
            }
        });
        if (rc == -Errno.EEXIST) {
            throw new BackendException("base image " + spec + " exists already");
        }
        NativeCallException.check("create base image " + spec, rc);
    }

    /**
     * Removes a base image, retrying while it is busy (open elsewhere, or its watch not yet expired),
     * waiting {@code delete_retry_interval} and doubling the wait after each try.
     *
     * <p>An exclusive lock left by a client that is gone - blocklisted, or dead with its watch expired -
     * is broken first (as {@code rbd lock break} does), so a backup that failed because its client was
     * fenced does not leave a base image nobody can remove. A lock whose owner still watches the image
     * belongs to a live client and is never broken.
     *
     * @return false when the image did not exist
     * @throws TransientBackendException when it stayed busy through every retry
     */
    public boolean remove(String name) {
        String spec = settings.pool() + "/" + name;
        Duration wait = settings.deleteRetryInterval();
        Set<String> broken = new HashSet<>();
        for (int attempt = 0; ; attempt++) {
            // Look before removing: with a lock owner that still watches the image, rbd_remove would ask
            // it to release the lock and wait up to rbd_request_timed_out_seconds for an answer that a
            // dead client never gives.
            Optional<Holders> holders = holders(name, spec);
            if (holders.isEmpty()) {
                return false;
            }
            Optional<String> deadOwner = holders.get().deadOwner();
            if (deadOwner.isPresent() && broken.add(deadOwner.get())) {
                breakLock(name, spec, deadOwner.get());
                holders = Optional.of(holders.get().withoutLock());
            }
            int rc = holders.get().busy() ? -Errno.EBUSY : rbdRemove(name, "remove base image " + spec);
            if (rc == -Errno.ENOENT) {
                return false;
            }
            if (rc != -Errno.EBUSY) {
                NativeCallException.check("remove base image " + spec, rc);
                return true;
            }
            if (attempt >= settings.deleteRetries()) {
                throw new TransientBackendException("base image " + spec + " is still in use (busy) after "
                        + (attempt + 1) + " attempts" + holders.get().describe() + "; try the delete again once"
                        + " nothing has it open");
            }
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
    }

    /**
     * Finishes the removal of an image whose header is gone - listed in the pool's directory, but no longer
     * to be opened - as {@code rbd rm} does: nobody can have it open, so there is nothing to wait for.
     *
     * @return false when the directory no longer lists it
     */
    public boolean finishRemoval(String name) {
        String spec = settings.pool() + "/" + name;
        int rc = rbdRemove(name, "finish removing base image " + spec);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        NativeCallException.check("finish removing base image " + spec, rc);
        return true;
    }

    /** {@code rbd_remove}, bounded, each object removed counting as progress; returns the code unchecked. */
    private int rbdRemove(String name, String what) {
        return pool.call(what, progress -> {
            LibRbd.ProgressCallback onProgress = (offset, total, arg) -> {
                progress.tick();
                return 0;
            };
            return LibRbd.rbd_remove_with_progress(pool.ioctx(), name, onProgress, null);
        });
    }

    /**
     * Who keeps an image busy: the exclusive lock's owner, and the clients watching it (opening it
     * read-only adds no watch of ours).
     *
     * @return empty when the image does not exist
     */
    private Optional<Holders> holders(String name, String spec) {
        try (RbdImageHandle image = RbdImageHandle.open(pool, spec, name, null, true)) {
            return Optional.of(new Holders(image.lockOwner(), image.watcherAddresses()));
        } catch (NativeCallException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void breakLock(String name, String spec, String owner) {
        LOG.warn("base image {} is locked by client {}, which no longer watches it (dead or blocklisted);"
                + " breaking its lock", spec, owner);
        try (RbdImageHandle image = RbdImageHandle.open(pool, spec, name, null, false)) {
            image.breakLock(owner);
        } catch (NativeCallException e) {
            if (!e.isNotFound()) {
                throw new BackendException("base image " + spec + " is locked by client " + owner + ", which is gone,"
                        + " but its lock cannot be broken: " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param lockOwner the exclusive lock's owner, if any
     * @param watchers  the clients watching the image
     */
    private record Holders(Optional<String> lockOwner, List<String> watchers) {

        /** A lock owner that does not watch the image: its client is gone (or fenced). */
        Optional<String> deadOwner() {
            return lockOwner.filter(owner -> !watchers.contains(owner));
        }

        /** Whether a live client has the image open (or locked): removing it must wait. */
        boolean busy() {
            return !watchers.isEmpty() || lockOwner.isPresent();
        }

        Holders withoutLock() {
            return new Holders(Optional.empty(), watchers);
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            lockOwner.ifPresent(owner -> text.append(", locked by client ").append(owner));
            if (!watchers.isEmpty()) {
                text.append(", open by ").append(String.join(", ", watchers));
            }
            return text.toString();
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
