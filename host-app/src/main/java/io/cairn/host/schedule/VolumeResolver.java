package io.cairn.host.schedule;

import io.cairn.api.VolumeNaming;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VolumeListing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a schedule's {@code volumes:} into the volumes to back up now: named volumes as they are,
 * patterns against the backend's current list of the pattern's namespace (as the backend's
 * {@link VolumeNaming} defines it), so a volume created since the last firing is picked up and a
 * deleted one dropped. Each volume appears once, in the order of the entries that select it first.
 */
public final class VolumeResolver {

    private VolumeResolver() {
    }

    /**
     * @param listing the backend's volume listing, when it offers one
     * @param naming  the backend's volume naming: which namespace a pattern is listed in
     * @param backend the backend's id, for the message when it offers no listing
     * @throws IllegalStateException when a pattern needs a listing the backend does not offer
     */
    public static Resolved resolve(List<VolumeSelector> selectors, Optional<VolumeListing> listing, VolumeNaming naming,
            String backend) {
        Set<VolumeRef> volumes = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (VolumeSelector selector : selectors) {
            if (!selector.isPattern()) {
                volumes.add(selector.volume());
                continue;
            }
            if (listing.isEmpty()) {
                throw new IllegalStateException("backend " + backend + " cannot list volumes, so '" + selector
                        + "' cannot be resolved; name the volumes one by one");
            }
            List<VolumeRef> matching = listing.get().list(selector.namespace(naming)).stream()
                    .filter(volume -> selector.selects(volume, naming)).toList();
            if (matching.isEmpty()) {
                notes.add("'" + selector + "' matches no volume now");
            }
            volumes.addAll(matching);
        }
        return new Resolved(List.copyOf(volumes), notes);
    }

    /**
     * @param volumes the volumes to back up, each once
     * @param notes   patterns that matched nothing
     */
    public record Resolved(List<VolumeRef> volumes, List<String> notes) {
        public Resolved {
            volumes = List.copyOf(volumes);
            notes = List.copyOf(notes);
        }
    }
}
