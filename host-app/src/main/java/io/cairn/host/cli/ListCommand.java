package io.cairn.host.cli;

import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.view.SetView;
import io.cairn.api.model.BackupId;
import java.util.Map;
import io.cairn.host.view.BackupView;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import io.cairn.host.catalog.BackupStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn list}: backups in the catalog, oldest first. */
@Command(mixinStandardHelpOptions = true, name = "list", description = {
    "List backups in the catalog, oldest first (deleted and expiring ones with --all, or --status). --limit",
    "N shows the newest N, --offset M pages back past the newest M."})
final class ListCommand extends CatalogCommand {

    /** How many backups' sets a streamed JSON listing looks up at once. */
    private static final int SET_LOOKUPS = 500;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only this cluster's backups.")
    private String cluster;

    @Option(names = "--volume", paramLabel = "VOLUME", description = "Only this volume's backups (VOLUME as the backend names it, or file:/PATH).")
    private String volume;

    @Option(names = "--all", description = "Include deleted and expiring backups.")
    private boolean all;

    @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "Only backups in these statuses"
            + " (available, corrupt, expiring, foreign, error, creating, deleting, deleted).")
    private List<String> statuses;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N backups (still listed oldest first).")
    private Integer limit;

    @Option(names = "--offset", paramLabel = "M", description = "With --limit: skip the newest M first (the next page back).")
    private Integer offset;

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Option(names = "--sets", description = "List backup sets (volumes backed up together) instead of backups.")
    private boolean sets;

    private static BackupStatus status(String label) {
        try {
            return BackupStatus.fromLabel(label.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--status " + label + ": no such status (available, corrupt, expiring, foreign,"
                    + " error, creating, deleting, deleted)");
        }
    }

    @Override
    int run(Catalog catalog) {
        BackupSetCatalog setCatalog = new BackupSetCatalog(catalog.database());
        if (sets) {
            List<BackupSetRecord> found = setCatalog.list(Optional.ofNullable(cluster), all);
            if (json) {
                Map<BackupId, BackupRecord> members = catalog.backups().findAll(found.stream()
                        .flatMap(set -> set.members().stream()).map(member -> member.backupId()).toList());
                out().println(JsonOutput.write(found.stream().map(set -> SetView.of(set, set.members().stream()
                        .flatMap(member -> Optional.ofNullable(members.get(member.backupId())).stream()).toList()))
                        .toList()));
            } else {
                out().print(new SetText(ZoneId.systemDefault()).table(found));
            }
            return ErrorReport.OK;
        }
        Set<BackupStatus> only = statuses == null ? Set.of() : statuses.stream().map(ListCommand::status)
                .collect(Collectors.toSet());
        BackupFilter filter = new BackupFilter(Optional.ofNullable(cluster),
                Optional.ofNullable(volume).map(VolumeArguments::parse), all || !only.isEmpty(), only);
        if (limit == null && offset == null) {
            // The whole catalog, which can hold 100,000 backups and more: written as it is read, never held.
            if (json) {
                writeJson(catalog.backups(), setCatalog, filter);
            } else {
                writeTable(catalog.backups(), filter);
            }
            return ErrorReport.OK;
        }
        if (limit != null && limit < 1 || offset != null && offset < 0) {
            throw new UsageException("--limit must be at least 1 and --offset at least 0");
        }
        List<BackupRecord> records = catalog.backups().list(filter, new BackupCatalog.Page(
                limit == null ? Integer.MAX_VALUE : limit, offset == null ? 0 : offset));
        if (json) {
            Map<BackupId, String> inSets = setCatalog.setsOf(records.stream().map(BackupRecord::id).toList());
            out().println(JsonOutput.write(records.stream()
                    .map(record -> BackupView.of(record).inSet(inSets.get(record.id()))).toList()));
        } else {
            out().print(new BackupText(ZoneId.systemDefault()).table(records));
        }
        return ErrorReport.OK;
    }

    /** The JSON array of every matching backup, written as read; their sets looked up a few hundred at a time. */
    private void writeJson(BackupCatalog backups, BackupSetCatalog setCatalog, BackupFilter filter) {
        JsonOutput.ArrayWriter array = JsonOutput.array(out());
        List<BackupRecord> pending = new ArrayList<>(SET_LOOKUPS);
        backups.forEach(filter, record -> {
            pending.add(record);
            if (pending.size() == SET_LOOKUPS) {
                writeWithSets(array, pending, setCatalog);
            }
        });
        writeWithSets(array, pending, setCatalog);
        array.finish();
    }

    private static void writeWithSets(JsonOutput.ArrayWriter array, List<BackupRecord> records,
            BackupSetCatalog setCatalog) {
        Map<BackupId, String> inSets = setCatalog.setsOf(records.stream().map(BackupRecord::id).toList());
        for (BackupRecord record : records) {
            array.add(BackupView.of(record).inSet(inSets.get(record.id())));
        }
        records.clear();
    }

    /** The table of every matching backup: only the cells are kept (its columns are as wide as their widest). */
    private void writeTable(BackupCatalog backups, BackupFilter filter) {
        BackupText text = new BackupText(ZoneId.systemDefault());
        TextTable table = BackupText.newTable();
        boolean[] any = {false};
        backups.forEach(filter, record -> {
            text.addRow(table, record);
            any[0] = true;
        });
        if (any[0]) {
            java.io.Writer writer = OutputText.bufferedTo(out());
            table.writeTo(writer);
            try {
                writer.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            out().print(BackupText.NO_BACKUPS);
        }
    }
}
