package io.cairn.host.cli;

import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.view.BackupView;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn show ID}: everything the catalog knows about one backup, what Cairn owns for it included. */
@Command(mixinStandardHelpOptions = true, name = "show", description = {
    "Show one backup (by id, or a unique prefix of at least 4 characters): every field, what Cairn",
    "owns for it (source snapshot, storage objects the backend recorded), and its restores."})
final class ShowCommand extends CatalogCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup id or unique prefix.")
    private String id;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    int run(Catalog catalog) {
        BackupRecord record = catalog.backups().resolve(id);
        List<RecordedResource> resources = catalog.backups().resources(record.id());
        List<RestoreRecord> restores = catalog.restores().ofBackup(record.id());
        if (json) {
            out().println(JsonOutput.write(BackupView.of(record, resources, restores)));
        } else {
            out().print(new BackupText(ZoneId.systemDefault()).details(record, resources, restores));
        }
        return ErrorReport.OK;
    }
}
