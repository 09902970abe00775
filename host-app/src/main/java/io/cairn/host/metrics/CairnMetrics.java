package io.cairn.host.metrics;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.plugins.LoadedBackends;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve}'s Prometheus metrics. Counters and histograms count what this process did (it
 * listens to the orchestrators as {@link OperationEvents}); the gauges are read when Prometheus scrapes:
 * the newest restore point of every volume from the catalog - so they hold across restarts and for
 * backups other hosts made - and the health of the catalog, the scheduler and the plugins.
 *
 * <p>Names follow Prometheus' conventions: the unit in the name ({@code _seconds}, {@code _bytes}),
 * {@code _total} on counters, and only labels with few values - cluster, volume, schedule, kind, outcome;
 * never a backup id.
 */
public final class CairnMetrics implements OperationEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CairnMetrics.class);
    /** A kind for backups that failed before it was decided (the cluster did not answer, the volume was busy). */
    static final String UNKNOWN_KIND = "unknown";
    static final String SUCCESS = "success";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter backups;
    private final Histogram backupDuration;
    private final Histogram backupWritten;
    private final Histogram restoreDuration;
    private final Histogram restoreWritten;
    private final Counter firings;
    private final Counter retentionDeletions;

    /**
     * @param catalog  read at each scrape for the newest backup of each volume
     * @param health   run at each scrape for {@code cairn_catalog_up} and {@code cairn_scheduler_up}
     * @param backends the loaded and refused plugins
     */
    public CairnMetrics(BackupCatalog catalog, HealthCheck health, Supplier<LoadedBackends> backends) {
        backups = Counter.builder().name("cairn_backups_total")
                .help("Backups this process ran, by cluster, kind (full, incremental; unknown when it failed before"
                        + " that was decided) and outcome (success, failed, busy: the volume's lock was held).")
                .labelNames("cluster", "kind", "outcome").register(registry);
        backupDuration = Histogram.builder().name("cairn_backup_duration_seconds").unit(Unit.SECONDS)
                .help("How long successful backups took, from their record to available.")
                .labelNames("cluster", "kind").classicOnly().classicExponentialUpperBounds(1, 2, 18)
                .register(registry);
        backupWritten = Histogram.builder().name("cairn_backup_written_bytes").unit(Unit.BYTES)
                .help("Bytes successful backups wrote to backup storage.")
                .labelNames("cluster", "kind").classicOnly().classicExponentialUpperBounds(1 << 20, 4, 12)
                .register(registry);
        restoreDuration = Histogram.builder().name("cairn_restore_duration_seconds").unit(Unit.SECONDS)
                .help("How long restores run by this process took, by outcome (success, failed).")
                .labelNames("cluster", "outcome").classicOnly().classicExponentialUpperBounds(1, 2, 18)
                .register(registry);
        restoreWritten = Histogram.builder().name("cairn_restore_written_bytes").unit(Unit.BYTES)
                .help("Bytes successful restores run by this process wrote to their targets.")
                .labelNames("cluster").classicOnly().classicExponentialUpperBounds(1 << 20, 4, 12)
                .register(registry);
        firings = Counter.builder().name("cairn_schedule_firings_total")
                .help("Firings of schedules this process ran, by schedule and result (ok, partial, failed,"
                        + " interrupted).")
                .labelNames("schedule", "result").register(registry);
        retentionDeletions = Counter.builder().name("cairn_retention_deletions_total")
                .help("Backups retention deleted (outcome success) or failed to delete (failed), by cluster.")
                .labelNames("cluster", "outcome").register(registry);
        GaugeWithCallback.builder().name("cairn_volume_last_backup_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the newest available backup of the volume finished (Unix time), from the catalog.")
                .labelNames("cluster", "volume")
                .callback(callback -> newestBackups(catalog).forEach(newest -> callback.call(
                        newest.finishedAt().toEpochMilli() / 1000.0, newest.cluster(), newest.volume().locator())))
                .register(registry);
        GaugeWithCallback.builder().name("cairn_up")
                .help("Whether a part of cairn serve works (1) or not (0): part catalog (the database answers),"
                        + " scheduler (it runs and its job store answers).")
                .labelNames("part")
                .callback(callback -> {
                    HealthCheck.Report report = health.check();
                    callback.call(report.problem("catalog").isEmpty() ? 1 : 0, "catalog");
                    callback.call(report.problem("scheduler").isEmpty() ? 1 : 0, "scheduler");
                })
                .register(registry);
        GaugeWithCallback.builder().name("cairn_plugins")
                .help("Plugin JARs in plugins_dir by state: loaded, or refused (not a plugin, wrong plugin API"
                        + " version, failed to start; the log says why).")
                .labelNames("state")
                .callback(callback -> {
                    LoadedBackends loaded = backends.get();
                    callback.call(loaded.all().size(), "loaded");
                    callback.call(loaded.refusals().size(), "refused");
                })
                .register(registry);
    }

    /**
     * Starts the counters of the known clusters and schedules at zero, so that the first failure is an
     * increase Prometheus sees, not the first sample of a new series.
     */
    public void expect(Collection<String> clusters, Collection<String> schedules) {
        for (String cluster : clusters) {
            for (String kind : List.of(label(BackupKind.FULL), label(BackupKind.INCREMENTAL))) {
                backups.labelValues(cluster, kind, SUCCESS);
                backups.labelValues(cluster, kind, Failure.FAILED.label());
            }
            backups.labelValues(cluster, UNKNOWN_KIND, Failure.FAILED.label());
            backups.labelValues(cluster, UNKNOWN_KIND, Failure.BUSY.label());
            retentionDeletions.labelValues(cluster, SUCCESS);
            retentionDeletions.labelValues(cluster, Failure.FAILED.label());
        }
        for (String schedule : schedules) {
            for (ScheduleRun.Status status : ScheduleRun.Status.values()) {
                if (status != ScheduleRun.Status.RUNNING) {
                    firings.labelValues(schedule, status.label());
                }
            }
        }
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** The Content-Type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** The registry, for tests and for whoever wants to add to it. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void backupSucceeded(BackupRecord record) {
        guarded(() -> {
            String kind = label(record.kind());
            backups.labelValues(record.cluster(), kind, SUCCESS).inc();
            record.finishedAt().ifPresent(finished -> backupDuration.labelValues(record.cluster(), kind)
                    .observe(Duration.between(record.startedAt(), finished).toMillis() / 1000.0));
            backupWritten.labelValues(record.cluster(), kind).observe(record.bytesWritten());
        });
    }

    @Override
    public void backupFailed(String cluster, VolumeRef volume, Optional<BackupRecord> record, Failure failure) {
        guarded(() -> backups.labelValues(cluster, record.map(r -> label(r.kind())).orElse(UNKNOWN_KIND),
                failure.label()).inc());
    }

    @Override
    public void restoreFinished(String cluster, Duration elapsed, long bytesWritten, boolean succeeded) {
        guarded(() -> {
            restoreDuration.labelValues(cluster, succeeded ? SUCCESS : Failure.FAILED.label())
                    .observe(elapsed.toMillis() / 1000.0);
            if (succeeded) {
                restoreWritten.labelValues(cluster).observe(bytesWritten);
            }
        });
    }

    @Override
    public void retentionDeletion(String cluster, boolean succeeded) {
        guarded(() -> retentionDeletions.labelValues(cluster, succeeded ? SUCCESS : Failure.FAILED.label()).inc());
    }

    @Override
    public void firingFinished(ScheduleRun run) {
        guarded(() -> firings.labelValues(run.schedule(), run.status().label()).inc());
    }

    /** Empty when the catalog does not answer: the scrape still works, and cairn_up{part="catalog"} says why. */
    private static List<BackupCatalog.NewestBackup> newestBackups(BackupCatalog catalog) {
        try {
            return catalog.newestAvailablePerVolume();
        } catch (RuntimeException e) {
            LOG.warn("metrics: cannot read the newest backups from the catalog: {}", e.getMessage());
            return List.of();
        }
    }

    private static String label(BackupKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** A listener never fails the work it watches: a metric that cannot be recorded is logged and dropped. */
    private static void guarded(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            LOG.warn("cannot record a metric: {}", e.toString());
        }
    }
}
