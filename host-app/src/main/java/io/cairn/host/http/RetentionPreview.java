package io.cairn.host.http;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.VolumeNaming;
import io.cairn.host.backup.PruneOutcome;
import io.cairn.host.backup.RetentionPruner;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.schedule.Schedule;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What retention would do to a volume now: the first schedule of its cluster whose {@code volumes}
 * select it (in the backend's naming), and a dry run of that schedule's rules - nothing is deleted.
 */
public final class RetentionPreview {

    private final Supplier<List<Schedule>> schedules;
    private final Function<String, ConfiguredCluster> clusters;
    private final RetentionPruner pruner;

    /**
     * @param schedules the schedules serve runs
     * @param clusters  a configured cluster by name
     * @param pruner    retention, run as a dry run
     */
    public RetentionPreview(Supplier<List<Schedule>> schedules, Function<String, ConfiguredCluster> clusters,
            RetentionPruner pruner) {
        this.schedules = Objects.requireNonNull(schedules, "schedules is null");
        this.clusters = Objects.requireNonNull(clusters, "clusters is null");
        this.pruner = Objects.requireNonNull(pruner, "pruner is null");
    }

    /** Empty when no schedule selects the volume (its backups are kept until deleted by hand). */
    Optional<Preview> of(String clusterName, VolumeRef volume) {
        List<Schedule> candidates = schedules.get().stream().filter(s -> s.cluster().equals(clusterName)).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ConfiguredCluster cluster;
        try {
            cluster = clusters.apply(clusterName);
        } catch (RuntimeException e) {
            return Optional.of(new Preview(candidates.get(0).name(), null, message(e)));
        }
        VolumeNaming naming = cluster.backend().descriptor().volumeNaming();
        Optional<Schedule> schedule = candidates.stream()
                .filter(s -> s.volumes().stream().anyMatch(selector -> selector.selects(volume, naming)))
                .findFirst();
        return schedule.map(s -> {
            try {
                return new Preview(s.name(), pruner.prune(cluster, volume, s.retention(), s.timeZone(), true), null);
            } catch (RuntimeException e) {
                return new Preview(s.name(), null, message(e));
            }
        });
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Retention on one volume.
     *
     * @param schedule the schedule whose rules apply
     * @param outcome  the dry run's verdict on every backup, or null when it could not be decided
     * @param error    why it could not be decided, or null
     */
    record Preview(String schedule, PruneOutcome outcome, String error) {
    }
}
