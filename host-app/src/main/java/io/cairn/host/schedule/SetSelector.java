package io.cairn.host.schedule;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.VolumeRef;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Volumes backed up together, at one instant, as one backup set: a group the backend keeps
 * ({@code group: volumes/vm-42}, an RBD group for Ceph, whose members are read at every firing) or a
 * list of volumes ({@code together: [volumes/pg-data, volumes/pg-wal]}). Needs a backend with
 * {@link BackendCapability#CONSISTENT_GROUPS}.
 *
 * @param group   the backend's group, or empty for a list
 * @param volumes the listed volumes, or empty for a group
 */
public record SetSelector(Optional<String> group, List<VolumeRef> volumes) {

    /** The key of a schedule entry naming a group. */
    public static final String GROUP = "group";
    /** The key of a schedule entry naming volumes taken together. */
    public static final String TOGETHER = "together";

    public SetSelector {
        Objects.requireNonNull(group, "group is null");
        volumes = List.copyOf(Objects.requireNonNull(volumes, "volumes is null"));
        if (group.isPresent() == !volumes.isEmpty()) {
            throw new IllegalArgumentException("a set names a group or a list of volumes, not both or neither");
        }
    }

    /** A group the backend keeps. */
    public static SetSelector ofGroup(String group) {
        String name = Objects.requireNonNull(group, "group is null").strip();
        if (name.isEmpty() || NameGlob.isPattern(name) || name.startsWith("file:")) {
            throw new IllegalArgumentException("a group is named as the backend names it (volumes/vm-42), without"
                    + " patterns; got '" + group + "'");
        }
        return new SetSelector(Optional.of(name), List.of());
    }

    /**
     * Volumes taken together.
     *
     * @throws IllegalArgumentException for fewer than two, a pattern, a file or a volume listed twice
     */
    public static SetSelector ofVolumes(List<String> names) {
        if (names.size() < 2) {
            throw new IllegalArgumentException("volumes taken together are at least two; a single volume is backed up"
                    + " on its own");
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            String volume = name.strip();
            if (volume.isEmpty() || NameGlob.isPattern(volume) || volume.startsWith("file:")) {
                throw new IllegalArgumentException("volumes taken together are named one by one, without patterns or"
                        + " files; got '" + name + "'");
            }
            if (!seen.add(volume)) {
                throw new IllegalArgumentException("'" + volume + "' is listed twice");
            }
        }
        return new SetSelector(Optional.empty(), names.stream().map(String::strip).map(VolumeRef::new).toList());
    }

    /**
     * Why this set does not suit the backend, or empty: a backend without consistent group snapshots, or a
     * name its naming refuses.
     */
    public Optional<String> problem(BackendDescriptor backend) {
        if (!backend.capabilitySet().contains(BackendCapability.CONSISTENT_GROUPS)) {
            return Optional.of(refusal(backend.id()));
        }
        if (group.isPresent()) {
            return backend.volumeNaming().problem(group.get()).map(reason -> "group " + reason);
        }
        for (VolumeRef volume : volumes) {
            Optional<String> problem = backend.volumeNaming().problem(volume.locator());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** What the host says when a backend cannot take a set. */
    public static String refusal(String backendId) {
        return "backend '" + backendId + "' cannot snapshot several volumes at one instant (it lacks the capability "
                + BackendCapability.CONSISTENT_GROUPS + "), so it cannot back up a group or volumes together; list the"
                + " volumes one by one to back each up on its own";
    }

    @Override
    public String toString() {
        return group.map(name -> GROUP + ": " + name)
                .orElseGet(() -> TOGETHER + ": [" + String.join(", ", volumes.stream().map(VolumeRef::locator).toList())
                        + "]");
    }
}
