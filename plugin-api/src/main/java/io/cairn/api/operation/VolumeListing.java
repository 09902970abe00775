package io.cairn.api.operation;

import io.cairn.api.model.VolumeRef;
import java.util.List;

/**
 * Lists the volumes of one namespace, so that a schedule can select volumes by pattern
 * ({@code volumes/web-*} for Ceph, {@code images/*.img} for a directory of image files) and pick up
 * volumes created after it was written: the host resolves the pattern against this list at every
 * firing. What a namespace is, the backend says in {@link io.cairn.api.BackendDescriptor#volumeNaming()}.
 *
 * <p>Optional: a session offers it through {@link io.cairn.api.BackendSession#volumeListing()}. With a
 * backend that does not, schedules must name their volumes one by one ({@code volumes/db1}), and the
 * host refuses a pattern with an error naming the backend. The session method's default offers no
 * listing, so a backend that cannot list volumes implements nothing for it.
 */
public interface VolumeListing {

    /**
     * The volumes directly in one namespace, sorted by locator.
     *
     * @param namespace what comes before the last {@code /} of a volume name
     *                  ({@link io.cairn.api.VolumeNaming#namespaceOf}): for Ceph a pool
     *                  ({@code volumes}) or a pool and namespace ({@code volumes/tenant-a}), for a
     *                  directory backend a sub-directory ({@code images}); {@code ""} for the volumes
     *                  whose names have no namespace, or for every volume of a backend without
     *                  namespaces. Plugin API 1.0 called it {@code pool}.
     * @return the volumes as names the other verbs accept, each of them {@code namespace + "/" + name}
     *         ({@code volumes/db1}) or, in namespace {@code ""}, just the name; empty when the namespace
     *         holds no volume
     * @throws io.cairn.api.error.VolumeNotFoundException when the namespace does not exist
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    List<VolumeRef> list(String namespace);
}
