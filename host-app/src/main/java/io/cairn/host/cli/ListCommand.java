package io.cairn.host.cli;

import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.view.BackupView;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn list}: backups in the catalog, oldest first. */
@Command(mixinStandardHelpOptions = true, name = "list", description = {
    "List backups in the catalog, oldest first (deleted ones with --all). --limit N shows the newest N,",
    "--offset M pages back past the newest M."})
final class ListCommand extends CatalogCommand {

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only this cluster's backups.")
    private String cluster;

    @Option(names = "--volume", paramLabel = "VOLUME", description = "Only this volume's backups (VOLUME as the backend names it, or file:/PATH).")
    private String volume;

    @Option(names = "--all", description = "Include deleted backups.")
    private boolean all;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N backups (still listed oldest first).")
    private Integer limit;

    @Option(names = "--offset", paramLabel = "M", description = "With --limit: skip the newest M first (the next page back).")
    private Integer offset;

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Override
    int run(Catalog catalog) {
        BackupFilter filter = new BackupFilter(Optional.ofNullable(cluster),
                Optional.ofNullable(volume).map(VolumeArguments::parse), all);
        List<BackupRecord> records;
        if (limit == null && offset == null) {
            records = catalog.backups().list(filter);
        } else {
            if (limit != null && limit < 1 || offset != null && offset < 0) {
                throw new UsageException("--limit must be at least 1 and --offset at least 0");
            }
            records = catalog.backups().list(filter, new BackupCatalog.Page(limit == null ? Integer.MAX_VALUE : limit,
                    offset == null ? 0 : offset));
        }
        if (json) {
            out().println(JsonOutput.write(records.stream().map(BackupView::of).toList()));
        } else {
            out().print(new BackupText(ZoneId.systemDefault()).table(records));
        }
        return ErrorReport.OK;
    }
}
