package io.cairn.host.cli;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ImportLog;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn adopt ID...}: makes backups another tool wrote (status {@code foreign}, imported by
 * {@code cairn catalog rebuild}) Cairn's: available, deleted and pruned like its own.
 */
@Command(mixinStandardHelpOptions = true, name = "adopt", description = {
    "Make backups another tool wrote (status foreign, imported by cairn catalog rebuild) Cairn's own: they",
    "become available, and delete and retention may remove their storage. Without it Cairn only restores",
    "and verifies them."})
final class AdoptCommand extends CatalogCommand {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Backup ids or unique prefixes.")
    private List<String> ids;

    @Override
    int run(io.cairn.host.catalog.Catalog catalog) {
        ImportLog imports = new ImportLog(catalog.database());
        for (String id : ids) {
            BackupRecord backup = catalog.backups().resolve(id);
            if (backup.status() != BackupStatus.FOREIGN) {
                throw new io.cairn.host.backup.OperationFailedException("backup " + backup.id() + " is "
                        + backup.status().label() + ", not foreign: only another tool's imported backups are adopted");
            }
            if (!catalog.backups().update(backup.withStatus(BackupStatus.AVAILABLE), BackupStatus.FOREIGN)) {
                throw new io.cairn.host.backup.OperationFailedException("backup " + backup.id() + " changed meanwhile;"
                        + " try again");
            }
            imports.adopt(backup.id(), Instant.now());
            out().println("adopted backup " + backup.id() + " of " + backup.volume() + " (cluster " + backup.cluster()
                    + "): available; delete and retention may now remove it");
        }
        return ErrorReport.OK;
    }

}
