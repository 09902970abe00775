package io.cairn.host.cli;

import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.view.SetView;
import java.util.Optional;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.view.BackupView;
import io.cairn.host.catalog.ExpiringBackups;
import io.cairn.host.catalog.Expiry;
import io.cairn.host.catalog.ImportLog;
import io.cairn.host.catalog.ImportedBackup;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.catalog.VerifyRecord;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn show ID}: everything the catalog knows about one backup, what Cairn owns for it included. */
@Command(mixinStandardHelpOptions = true, name = "show", description = {
    "Show one backup (by id, or a unique prefix of at least 4 characters): every field, what Cairn",
    "owns for it (source snapshot, storage objects the backend recorded), and its restores."})
final class ShowCommand extends CatalogCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup or backup set id, or unique prefix.")
    private String id;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    int run(Catalog catalog) {
        BackupSetCatalog sets = new BackupSetCatalog(catalog.database());
        BackupOrSet found = BackupOrSet.resolve(catalog.backups(), sets, id);
        if (found.set().isPresent()) {
            BackupSetRecord set = found.set().get();
            List<BackupRecord> members = set.members().stream()
                    .flatMap(member -> catalog.backups().find(member.backupId()).stream()).toList();
            if (json) {
                out().println(JsonOutput.write(SetView.of(set, members)));
            } else {
                out().print(new SetText(ZoneId.systemDefault()).details(set, members));
            }
            return ErrorReport.OK;
        }
        BackupRecord record = found.backup().orElseThrow();
        List<RecordedResource> resources = catalog.backups().resources(record.id());
        List<RestoreRecord> restores = catalog.restores().ofBackup(record.id());
        Optional<String> set = sets.setOf(record.id());
        VerifyLog verifies = new VerifyLog(catalog.database());
        Optional<VerifyRecord> last = verifies.latest(record.id());
        Optional<VerifyRecord> damage = verifies.latestCorrupt(record.id());
        Optional<Expiry> expiry = new ExpiringBackups(catalog.database()).find(record.id());
        Optional<ImportedBackup> imported = new ImportLog(catalog.database()).find(record.id());
        if (json) {
            out().println(JsonOutput.write(ShowView.of(BackupView.of(record, resources, restores).inSet(set.orElse(null)), last, damage, expiry,
                    imported)));
        } else {
            BackupText text = new BackupText(ZoneId.systemDefault());
            out().print(text.details(record, resources, restores));
            set.ifPresent(setId -> out().printf("%-12s %s%n", "set:", setId));
            out().print(text.extras(last, damage, expiry, imported));
        }
        return ErrorReport.OK;
    }
}
