package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.view.BackupView;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn undelete ID}: brings an expiring backup or backup set back within its grace period. */
@Command(mixinStandardHelpOptions = true, name = "undelete", description = {
    "Bring back a backup or backup set deleted or pruned within delete_grace (status expiring): it is",
    "available (or corrupt) again, with its data as it was; a set with every member. For a backend whose",
    "backups need their parent, their expiring ancestors come back with them."})
final class UndeleteCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup or backup set id, or unique prefix.")
    private String id;

    @Option(names = "--json", description = "Print the backups brought back as a JSON array.")
    private boolean json;

    @Override
    int run(Host host) {
        BackupOrSet found = BackupOrSet.resolve(host.catalog(), host.setCatalog(), id);
        List<BackupRecord> undeleted;
        Optional<BackupRecord> asked = found.backup();
        if (found.set().isPresent()) {
            BackupSetRecord set = found.set().get();
            undeleted = host.setOperations().undelete(set, host.cluster(set.cluster()));
            if (!json) {
                out().println("undeleted backup set " + set.id() + " (" + set.describe() + ") on cluster "
                        + set.cluster() + ": available again");
            }
        } else {
            BackupRecord backup = asked.orElseThrow();
            Optional<String> inSet = host.setCatalog().setOf(backup.id());
            if (inSet.isPresent() && backup.status() == BackupStatus.EXPIRING) {
                throw new UsageException("backup " + backup.id() + " is a member of backup set " + inSet.get()
                        + ": undelete the set (cairn undelete " + inSet.get() + "), so that it comes back whole");
            }
            undeleted = host.graceDeletions().undelete(backup, host.cluster(backup.cluster()));
        }
        if (json) {
            out().println(JsonOutput.write(undeleted.stream().map(record -> BackupView.of(
                    host.catalog().find(record.id()).orElse(record))).toList()));
        } else {
            for (BackupRecord record : undeleted) {
                out().println("undeleted backup " + record.id() + " of " + record.volume() + " on cluster "
                        + record.cluster() + ": " + record.status().label() + " again"
                        + (found.set().isPresent() || asked.map(record.id()::equals).orElse(false) ? ""
                                : " (an ancestor it needs)"));
            }
        }
        return ErrorReport.OK;
    }
}
