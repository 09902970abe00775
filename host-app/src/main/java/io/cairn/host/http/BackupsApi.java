package io.cairn.host.http;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupNotFoundException;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.schedule.OneOffBackups;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.view.BackupView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backups and volumes of the JSON API: lists read from the catalog (the fields of
 * {@code cairn list --json}), a volume's chains with what its schedule's retention will keep, and
 * one-off backups started on request.
 */
final class BackupsApi {

    /** The longest page a client may ask for. */
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;

    private final BackupCatalog catalog;
    private final BackupSetCatalog sets;
    private final OneOffBackups oneOffs;
    private final RetentionPreview retention;

    BackupsApi(BackupCatalog catalog, BackupSetCatalog sets, OneOffBackups oneOffs, RetentionPreview retention) {
        this.catalog = catalog;
        this.sets = sets;
        this.oneOffs = oneOffs;
        this.retention = retention;
    }

    /**
     * Backups, oldest first, as {@code cairn list} lists them.
     *
     * @param status only backups of this status; {@code deleted} and {@code expiring} ones only when asked
     *               for by status or {@code all}
     */
    Page<BackupView> backups(Optional<String> cluster, Optional<String> volume, Optional<String> status, boolean all,
            int offset, int limit) {
        Optional<BackupStatus> wanted = status.map(BackupsApi::status);
        Optional<VolumeRef> volumeRef = volume.map(BackupsApi::volume);
        boolean includeDeleted = all || wanted.equals(Optional.of(BackupStatus.DELETED))
                || wanted.equals(Optional.of(BackupStatus.EXPIRING));
        List<BackupRecord> records = catalog.list(new BackupFilter(cluster, volumeRef, includeDeleted,
                wanted.map(Set::of).orElse(Set.of())));
        Page<BackupRecord> page = Page.of(records, offset, limit);
        Map<BackupId, String> inSets = sets.setsOf(page.items().stream().map(BackupRecord::id).toList());
        return new Page<>(page.items().stream().map(r -> BackupView.of(r).inSet(inSets.get(r.id()))).toList(),
                page.total(), page.offset(), page.limit());
    }

    /** One backup, by id or unique prefix, with what Cairn owns for it. */
    BackupView backup(String idOrPrefix) {
        try {
            BackupRecord record = catalog.resolve(idOrPrefix);
            return BackupView.of(record, catalog.resources(record.id()), null)
                    .inSet(sets.setsOf(List.of(record.id())).get(record.id()));
        } catch (BackupNotFoundException e) {
            String pending = pending(idOrPrefix).map(why -> " (requested: " + why + ")").orElse("");
            throw ApiException.notFound(e.getMessage() + pending);
        }
    }

    private Optional<String> pending(String id) {
        try {
            return oneOffs.pending(new BackupId(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Every volume with backups not deleted (nor expiring, as {@code cairn list}), by cluster and volume. */
    List<VolumeView> volumes() {
        Map<String, List<BackupRecord>> byVolume = new LinkedHashMap<>();
        List<BackupRecord> all = catalog.list(BackupFilter.all());
        Map<BackupId, String> inSets = sets.setsOf(all.stream().map(BackupRecord::id).toList());
        all.stream()
                .sorted(Comparator.comparing(BackupRecord::cluster).thenComparing(r -> r.volume().locator()))
                .forEach(record -> byVolume.computeIfAbsent(record.cluster() + "\n" + record.volume().locator(),
                        key -> new ArrayList<>()).add(record));
        List<VolumeView> views = new ArrayList<>();
        for (List<BackupRecord> records : byVolume.values()) {
            views.add(volume(records, inSets));
        }
        return views;
    }

    private VolumeView volume(List<BackupRecord> records, Map<BackupId, String> inSets) {
        BackupRecord newest = records.get(records.size() - 1);
        String cluster = newest.cluster();
        VolumeRef volume = newest.volume();
        Map<String, List<BackupView>> chains = new LinkedHashMap<>();
        Instant newestAvailable = null;
        for (BackupRecord record : records) {
            chains.computeIfAbsent(record.chain().value(), key -> new ArrayList<>())
                    .add(BackupView.of(record).inSet(inSets.get(record.id())));
            if (record.status() == BackupStatus.AVAILABLE) {
                newestAvailable = record.finishedAt().orElse(record.startedAt());
            }
        }
        Optional<RetentionPreview.Preview> preview = retention.of(cluster, volume);
        Map<String, VolumeView.RetentionView> decisions = new LinkedHashMap<>();
        preview.map(RetentionPreview.Preview::outcome).ifPresent(outcome -> outcome.backups().forEach(b -> decisions.put(
                b.record().id().value(), new VolumeView.RetentionView(b.decision().keep() ? "keep" : "remove",
                        b.decision().reason()))));
        String retentionError = preview.map(RetentionPreview.Preview::error).orElse(null);
        List<VolumeView.ChainView> chainViews = new ArrayList<>();
        chains.forEach((chain, backups) -> chainViews.add(new VolumeView.ChainView(chain, backups)));
        return new VolumeView(cluster, volume.locator(), preview.map(RetentionPreview.Preview::schedule).orElse(null),
                newestAvailable,
                newest.status().label(), chainViews, decisions, retentionError);
    }

    /**
     * Starts a one-off backup in the background.
     *
     * @return the id it will be recorded under
     */
    StartedBackup start(StartBackupRequest request) {
        if (request == null || request.cluster() == null || request.cluster().isBlank()) {
            throw ApiException.badRequest("give the cluster: {\"cluster\": \"lab\", \"volume\": \"volumes/db1\"}");
        }
        if (request.volume() == null || request.volume().isBlank()) {
            throw ApiException.badRequest("give the volume: {\"cluster\": \"lab\", \"volume\": \"volumes/db1\"}");
        }
        VolumeRef volume = volume(request.volume());
        if (volume.locator().startsWith("file:") && !volume.locator().startsWith("file:/")) {
            throw ApiException.badRequest("'" + request.volume() + "': a file must be an absolute path, file:/PATH");
        }
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        if (labels.containsKey(Schedule.SCHEDULE_LABEL)) {
            throw ApiException.badRequest("the label '" + Schedule.SCHEDULE_LABEL + "' is reserved for schedules");
        }
        BackupId id;
        try {
            id = oneOffs.start(request.cluster(), volume, Boolean.TRUE.equals(request.full()), labels);
        } catch (ConfigurationException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
        return new StartedBackup(id.value(), request.cluster(), volume.locator(), "queued",
                "/api/v1/backups/" + id.value());
    }

    private static BackupStatus status(String label) {
        try {
            return BackupStatus.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status '" + label + "' is none of " + String.join(", ",
                    Arrays.stream(BackupStatus.values()).map(BackupStatus::label).toList()));
        }
    }

    private static VolumeRef volume(String text) {
        try {
            return new VolumeRef(text.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("volume '" + text + "': " + e.getMessage()
                    + " (write POOL/IMAGE or file:/PATH)");
        }
    }

    /**
     * The body of {@code POST /api/v1/backups}.
     *
     * @param cluster the cluster's name
     * @param volume  {@code POOL/IMAGE} or {@code file:/PATH}
     * @param full    start a new chain even when an incremental backup is possible
     * @param labels  labels kept with the backup
     */
    record StartBackupRequest(String cluster, String volume, Boolean full, Map<String, String> labels) {
    }

    /**
     * The answer to {@code POST /api/v1/backups}.
     *
     * @param id      the backup's id, under which the catalog records it once it starts
     * @param cluster the cluster
     * @param volume  the volume
     * @param status  {@code queued}
     * @param url     where to follow it
     */
    record StartedBackup(String id, String cluster, String volume, String status, String url) {
    }
}
