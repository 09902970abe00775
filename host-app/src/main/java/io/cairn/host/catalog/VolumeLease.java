package io.cairn.host.catalog;

import io.cairn.api.model.VolumeRef;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held volume lease, renewed in the background until {@link #close()} releases it.
 */
public final class VolumeLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeLease.class);

    private final VolumeLeases leases;
    private final String cluster;
    private final VolumeRef volume;
    private final String holder;
    private final Optional<VolumeLeases.PreviousHolder> takenOver;
    private final ScheduledFuture<?> renewal;
    private volatile boolean held = true;

    VolumeLease(VolumeLeases leases, String cluster, VolumeRef volume, String holder, Duration renewEvery,
            Optional<VolumeLeases.PreviousHolder> takenOver) {
        this.leases = leases;
        this.cluster = cluster;
        this.volume = volume;
        this.holder = holder;
        this.takenOver = takenOver;
        long period = Math.max(1, renewEvery.toMillis());
        this.renewal = leases.renewals().scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Who holds it: {@code host/pid#nonce}. */
    public String holder() {
        return holder;
    }

    /**
     * The holder this lease was taken over from - one that died or let its lease expire, possibly in the
     * middle of its work - with the backend client it worked through; empty when the volume was free.
     */
    public Optional<VolumeLeases.PreviousHolder> takenOver() {
        return takenOver;
    }

    /** The cluster (its conf file name). */
    public String cluster() {
        return cluster;
    }

    /** The volume. */
    public VolumeRef volume() {
        return volume;
    }

    /** False once a renewal found the lease taken by someone else (it had expired). */
    public boolean isHeld() {
        return held;
    }

    private void renew() {
        try {
            if (!leases.renew(cluster, volume, holder)) {
                held = false;
                renewal.cancel(false);
                LOG.error("lost the lock of volume {} on cluster {}: it expired and was taken over", volume, cluster);
            }
        } catch (RuntimeException e) {
            // A database hiccup: the next renewal may succeed before the lease runs out.
            LOG.warn("cannot renew the lock of volume {} on cluster {}: {}", volume, cluster, e.getMessage());
        }
    }

    @Override
    public void close() {
        renewal.cancel(false);
        if (held) {
            leases.release(cluster, volume, holder);
            held = false;
        }
    }
}
