package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.view.BackupView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn undelete ID}: brings an expiring backup back within its grace period. */
@Command(mixinStandardHelpOptions = true, name = "undelete", description = {
    "Bring back a backup deleted or pruned within delete_grace (status expiring): it is available (or",
    "corrupt) again, with its data as it was. For a backend whose backups need their parent, its",
    "expiring ancestors come back with it."})
final class UndeleteCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup id or unique prefix.")
    private String id;

    @Option(names = "--json", description = "Print the backups brought back as a JSON array.")
    private boolean json;

    @Override
    int run(Host host) {
        BackupRecord backup = host.catalog().resolve(id);
        List<BackupRecord> undeleted = host.graceDeletions().undelete(backup, host.cluster(backup.cluster()));
        if (json) {
            out().println(JsonOutput.write(undeleted.stream().map(record -> BackupView.of(
                    host.catalog().find(record.id()).orElse(record))).toList()));
        } else {
            for (BackupRecord record : undeleted) {
                out().println("undeleted backup " + record.id() + " of " + record.volume() + " on cluster "
                        + record.cluster() + ": " + record.status().label() + " again"
                        + (record.id().equals(backup.id()) ? "" : " (an ancestor it needs)"));
            }
        }
        return ErrorReport.OK;
    }
}
