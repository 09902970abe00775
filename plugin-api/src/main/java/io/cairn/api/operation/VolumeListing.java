package io.cairn.api.operation;

import io.cairn.api.model.VolumeRef;
import java.util.List;

/**
 * Lists the volumes of one pool, so that a schedule can select volumes by pattern
 * ({@code volumes/web-*}) and pick up volumes created after it was written: the host resolves the
 * pattern against this list at every firing.
 *
 * <p>Optional: a session offers it through {@link io.cairn.api.BackendSession#volumeListing()}. With a
 * backend that does not, schedules must name their volumes one by one ({@code volumes/db1}), and the
 * host refuses a pattern with an error naming the backend. The session method's default offers no
 * listing, so a backend that cannot list volumes implements nothing for it.
 */
public interface VolumeListing {

    /**
     * The volumes in one pool, sorted by locator.
     *
     * @param pool what comes before the last {@code /} of a volume locator: for Ceph a pool
     *             ({@code volumes}) or a pool and namespace ({@code volumes/tenant-a})
     * @return the volumes as locators the other verbs accept ({@code volumes/db1}); empty when the pool
     *         holds no volume
     * @throws io.cairn.api.error.VolumeNotFoundException when the pool does not exist
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    List<VolumeRef> list(String pool);
}
