package io.cairn.host.cli;

import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.view.BackupView;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn list}: backups in the catalog, oldest first. */
@Command(mixinStandardHelpOptions = true, name = "list", description = "List backups in the catalog, oldest first (deleted ones with --all).")
final class ListCommand extends CatalogCommand {

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only this cluster's backups.")
    private String cluster;

    @Option(names = "--volume", paramLabel = "VOLUME", description = "Only this volume's backups (VOLUME as the backend names it, or file:/PATH).")
    private String volume;

    @Option(names = "--all", description = "Include deleted backups.")
    private boolean all;

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Override
    int run(Catalog catalog) {
        List<BackupRecord> records = catalog.backups().list(new BackupFilter(Optional.ofNullable(cluster),
                Optional.ofNullable(volume).map(VolumeArguments::parse), all));
        if (json) {
            out().println(JsonOutput.write(records.stream().map(BackupView::of).toList()));
        } else {
            out().print(new BackupText(ZoneId.systemDefault()).table(records));
        }
        return ErrorReport.OK;
    }
}
