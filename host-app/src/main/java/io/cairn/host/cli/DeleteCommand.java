package io.cairn.host.cli;

import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.view.SetView;
import java.util.Optional;
import io.cairn.host.Host;
import io.cairn.host.backup.DeleteOutcome;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.view.BackupView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn delete ID}: removes a backup from backup storage; the record stays as {@code deleted}. */
@Command(mixinStandardHelpOptions = true, name = "delete", description = {
    "Delete a backup from backup storage (the catalog keeps it as 'deleted'): what Cairn recorded",
    "creating for it is removed, also for a backup that failed. Refused while it is being restored. With",
    "delete_grace set, it is expiring first: kept, hidden from list, and cairn undelete brings it back",
    "until the grace has passed. A backup set is deleted whole, every member with it."})
final class DeleteCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup or backup set id, or unique prefix.")
    private String id;

    @Option(names = "--json", description = "Print the deleted backup as JSON.")
    private boolean json;

    @Option(names = "--now", description = "Remove it at once, whatever delete_grace says (also an expiring one).")
    private boolean now;

    @Override
    int run(Host host) {
        BackupOrSet found = BackupOrSet.resolve(host.catalog(), host.setCatalog(), id);
        if (found.set().isPresent()) {
            BackupSetRecord set = found.set().get();
            BackupSetOperations.SetDeletion deletion = host.setOperations().delete(set, host.cluster(set.cluster()), now,
                    "cairn delete");
            deletion.notes().forEach(note -> err().println("cairn: note: " + note));
            if (json) {
                out().println(JsonOutput.write(SetView.of(deletion.set(), host.setOperations().members(deletion.set()))));
            } else {
                out().println((deletion.set().status() == BackupStatus.EXPIRING ? "deleted (expiring)" : "deleted")
                        + " backup set " + set.id() + " (" + set.describe() + ") on cluster " + set.cluster());
                deletion.members().forEach(member -> member.removed().forEach(line -> out().println("  removed " + line)));
            }
            return ErrorReport.OK;
        }
        BackupRecord backup = found.backup().orElseThrow();
        Optional<String> inSet = host.setCatalog().setOf(backup.id());
        if (inSet.isPresent() && backup.status() != io.cairn.host.catalog.BackupStatus.DELETED) {
            throw new UsageException("backup " + backup.id() + " is a member of backup set " + inSet.get()
                    + ": delete the set (cairn delete " + inSet.get() + "), so that it is kept or removed whole");
        }
        DeleteOutcome outcome = host.graceDeletions().delete(backup, host.cluster(backup.cluster()), now,
                "cairn delete");
        outcome.notes().forEach(note -> err().println("cairn: note: " + note));
        if (json) {
            out().println(JsonOutput.write(BackupView.of(outcome.record(), host.catalog().resources(backup.id()),
                    null)));
        } else {
            out().println((outcome.record().status() == BackupStatus.EXPIRING ? "deleted (expiring)" : "deleted")
                    + " backup " + backup.id() + " of " + backup.volume() + " on cluster " + backup.cluster());
            outcome.removed().forEach(line -> out().println("  removed " + line));
        }
        return ErrorReport.OK;
    }
}
