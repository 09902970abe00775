package io.cairn.host.metrics;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.catalog.VerifyLog.ClusterVerify;
import io.cairn.host.catalog.VerifyRecord;
import io.cairn.api.operation.VerifyResult;
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
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve}'s Prometheus metrics. The backup, firing and retention counters and histograms count
 * what this process did (it listens to the orchestrators as {@link OperationEvents}). Restores and verifies
 * are counted from the catalog ({@link CatalogActivity}), since {@code cairn restore} and {@code cairn
 * verify} run as processes of their own: at each scrape, every one that ended since the last is observed
 * once, whichever process or host ran it. The gauges are read when Prometheus scrapes: the newest restore
 * point of every volume, the corrupt and expiring backups and the newest full intact verify from the
 * catalog - so they hold across restarts and for what other hosts did - and the health of the catalog,
 * the scheduler and the plugins.
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
    /** A verify that could not check its backup (the backend failed); the catalog records none. */
    static final String VERIFY_FAILED = "failed";
    /** The statuses {@code cairn_catalog_backups} counts: few backups are in them, and each needs an operator. */
    static final Set<BackupStatus> COUNTED_STATUSES = EnumSet.of(BackupStatus.CORRUPT, BackupStatus.EXPIRING);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter backups;
    private final Histogram backupDuration;
    private final Histogram backupWritten;
    private final Histogram restoreDuration;
    private final Histogram restoreWritten;
    private final Counter firings;
    private final Counter retentionDeletions;
    private final Counter verifies;
    /** The clusters of the schedules ({@link #expect}): their gauges start at 0 too. */
    private final Set<String> expected = ConcurrentHashMap.newKeySet();
    private final CatalogActivity activity;
    /** When the newest complete verify that found a backup intact finished, by cluster (Unix seconds). */
    private final Map<String, Instant> newestIntact = new ConcurrentHashMap<>();
    private volatile boolean newestIntactRead;
    /** False during a scrape whose first catalog read failed: the gauges read from the catalog are left out. */
    private volatile boolean catalogAnswered = true;

    /**
     * @param catalog  read at each scrape for the newest backup of each volume and the corrupt and expiring backups
     * @param activity the restores and verifies the catalog records, observed at each scrape
     * @param health   run at each scrape for {@code cairn_catalog_up} and {@code cairn_scheduler_up}
     * @param backends the loaded and refused plugins
     */
    public CairnMetrics(BackupCatalog catalog, CatalogActivity activity, HealthCheck health,
            Supplier<LoadedBackends> backends) {
        this.activity = java.util.Objects.requireNonNull(activity, "activity is null");
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
                .help("How long restores took that ended since serve started - run by any process or host sharing"
                        + " the catalog (cairn restore included), from the catalog -, by outcome (success, failed,"
                        + " interrupted: its process died).")
                .labelNames("cluster", "outcome").classicOnly().classicExponentialUpperBounds(1, 2, 18)
                .register(registry);
        restoreWritten = Histogram.builder().name("cairn_restore_written_bytes").unit(Unit.BYTES)
                .help("Bytes successful restores wrote to their targets, of the restores that ended since serve"
                        + " started (any process or host sharing the catalog, from the catalog).")
                .labelNames("cluster").classicOnly().classicExponentialUpperBounds(1 << 20, 4, 12)
                .register(registry);
        firings = Counter.builder().name("cairn_schedule_firings_total")
                .help("Firings of schedules this process ran, by schedule and result (ok, partial, failed,"
                        + " interrupted).")
                .labelNames("schedule", "result").register(registry);
        retentionDeletions = Counter.builder().name("cairn_retention_deletions_total")
                .help("Backups retention deleted (outcome success) or failed to delete (failed), by cluster.")
                .labelNames("cluster", "outcome").register(registry);
        verifies = Counter.builder().name("cairn_verifies_total")
                .help("Verifies of backups that finished since serve started, by cluster and result: intact, corrupt"
                        + " (damage found), unverifiable (nothing recorded to compare with) - any process or host"
                        + " sharing the catalog, cairn verify included, from the catalog -; failed: a verify serve's"
                        + " schedules ran could not check its backup (nothing is recorded then, so a failed cairn"
                        + " verify is not counted).")
                .labelNames("cluster", "result").register(registry);
        GaugeWithCallback.builder().name("cairn_catalog_backups")
                .help("Backups in the catalog by cluster and status, for the statuses that need an operator:"
                        + " corrupt (a verify found damage) and expiring (deleted, kept until delete_grace passes).")
                .labelNames("cluster", "status")
                .callback(callback -> counted(catalog).forEach((cluster, counts) -> COUNTED_STATUSES.forEach(
                        status -> callback.call(counts.getOrDefault(status, 0L), cluster, status.label()))))
                .register(registry);
        GaugeWithCallback.builder().name("cairn_last_intact_verify_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the newest complete verify (every byte checked) that found a backup of the cluster"
                        + " intact finished (Unix time), from the catalog.")
                .labelNames("cluster")
                .callback(callback -> newestIntact.forEach((cluster, at) -> callback.call(
                        at.toEpochMilli() / 1000.0, cluster)))
                .register(registry);
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
            for (VerifyResult.Verdict verdict : VerifyResult.Verdict.values()) {
                verifies.labelValues(cluster, verdict.label());
            }
            verifies.labelValues(cluster, VERIFY_FAILED);
            restoreWritten.labelValues(cluster);
            restoreDuration.labelValues(cluster, SUCCESS);
            restoreDuration.labelValues(cluster, Failure.FAILED.label());
        }
        this.expected.addAll(clusters);
        for (String schedule : schedules) {
            for (ScheduleRun.Status status : ScheduleRun.Status.values()) {
                if (status != ScheduleRun.Status.RUNNING) {
                    firings.labelValues(schedule, status.label());
                }
            }
        }
    }

    /**
     * Observes the restores and verifies that ended since the last scrape, then writes every metric in the
     * Prometheus text format.
     */
    public synchronized void write(OutputStream out) throws IOException {
        // A catalog that does not answer costs one wait of catalog_timeout, not one per metric read from it.
        catalogAnswered = catchUp();
        try {
            writer.write(out, registry.scrape());
        } finally {
            catalogAnswered = true;
        }
    }

    /**
     * Observes every restore and verify the catalog recorded as ended since the last call, once each. A catalog
     * that does not answer is logged; the scrape still works, and the next one catches up.
     *
     * @return whether the catalog answered
     */
    public boolean catchUp() {
        try {
            if (!newestIntactRead) {
                activity.newestCompleteIntactByCluster().forEach(this::intactAt);
                newestIntactRead = true;
            }
            activity.poll(this::restoreEnded, this::verifyFinished);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("metrics: cannot read the restores and verifies that ended from the catalog: {}", e.getMessage());
            return false;
        }
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

    /** A restore the catalog recorded as ended (its {@code finishedAt} is present). */
    private void restoreEnded(RestoreRecord restore) {
        guarded(() -> {
            boolean succeeded = restore.status() == RestoreRecord.Status.FINISHED;
            String outcome = succeeded ? SUCCESS : restore.status().label();
            restoreDuration.labelValues(restore.cluster(), outcome).observe(Math.max(0,
                    Duration.between(restore.startedAt(), restore.finishedAt().orElseThrow()).toMillis() / 1000.0));
            if (succeeded) {
                restoreWritten.labelValues(restore.cluster()).observe(restore.bytesWritten());
            }
        });
    }

    /** A verify the catalog recorded. */
    private void verifyFinished(ClusterVerify finished) {
        guarded(() -> {
            VerifyRecord verify = finished.verify();
            verifies.labelValues(finished.cluster(), verify.result().label()).inc();
            if (verify.complete() && verify.result() == VerifyResult.Verdict.INTACT) {
                intactAt(finished.cluster(), verify.finishedAt());
            }
        });
    }

    private void intactAt(String cluster, Instant finished) {
        newestIntact.merge(cluster, finished, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public void verifyFailed(String cluster) {
        guarded(() -> verifies.labelValues(cluster, VERIFY_FAILED).inc());
    }

    @Override
    public void retentionDeletion(String cluster, boolean succeeded) {
        guarded(() -> retentionDeletions.labelValues(cluster, succeeded ? SUCCESS : Failure.FAILED.label()).inc());
    }

    @Override
    public void firingFinished(ScheduleRun run) {
        guarded(() -> firings.labelValues(run.schedule(), run.status().label()).inc());
    }

    /**
     * The corrupt and expiring backups by cluster, with every expected cluster present (at 0 when it has none);
     * none when the catalog does not answer (no series rather than a false 0).
     */
    private Map<String, Map<BackupStatus, Long>> counted(BackupCatalog catalog) {
        if (!catalogAnswered) {
            return Map.of();
        }
        Map<String, Map<BackupStatus, Long>> counts = new java.util.TreeMap<>();
        expected.forEach(cluster -> counts.put(cluster, Map.of()));
        try {
            counts.putAll(catalog.countByClusterAndStatus(COUNTED_STATUSES));
            return counts;
        } catch (RuntimeException e) {
            LOG.warn("metrics: cannot count the corrupt and expiring backups in the catalog: {}", e.getMessage());
            return Map.of();
        }
    }

    /** Empty when the catalog does not answer: the scrape still works, and cairn_up{part="catalog"} says why. */
    private List<BackupCatalog.NewestBackup> newestBackups(BackupCatalog catalog) {
        if (!catalogAnswered) {
            return List.of();
        }
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
