package io.cairn.host.cli;

import io.cairn.api.option.DurationText;
import io.cairn.host.Host;
import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.backup.GracePeriodDeletions.Purged;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn purge}: removes for good the expiring backups whose {@code delete_grace} has passed, as
 * {@code cairn serve} does every minute.
 */
@Command(mixinStandardHelpOptions = true, name = "purge", description = {
    "Remove for good every expiring backup whose delete_grace has passed (cairn serve does it every",
    "minute), and then every expiring backup set whose members are all removed (its group snapshot).",
    "One that a backup in its grace still needs, or whose volume is busy, waits. Exit 1 if a removal",
    "failed."})
final class PurgeCommand extends HostCommand {

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster's backups.")
    private String cluster;

    @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print a JSON array: backup, cluster, volume, purged, reason, removed.")
    private boolean json;

    /** One line of {@code --json}. */
    record PurgeView(String backup, String cluster, String volume, boolean purged, String reason, List<String> removed) {
    }

    @Override
    int run(Host host) {
        if (cluster != null) {
            host.cluster(cluster);
        }
        List<Purged> purged = host.graceDeletions().purge(host::clusterNamed, Optional.ofNullable(cluster), dryRun);
        List<BackupSetOperations.PurgedSet> sets = dryRun ? List.of()
                : host.setOperations().purgeExpired(host::clusterNamed, Optional.ofNullable(cluster));
        boolean failed = purged.stream().anyMatch(p -> p.skipped().map(s -> s.startsWith("the purge failed")).orElse(false))
                || sets.stream().anyMatch(s -> s.waiting().map(w -> w.startsWith("the purge failed")).orElse(false));
        if (json) {
            out().println(JsonOutput.write(purged.stream().map(p -> new PurgeView(p.backup().id().value(),
                    p.backup().cluster(), p.backup().volume().locator(), p.outcome().isPresent(), p.skipped().orElse(null),
                    p.outcome().map(o -> o.removed()).orElse(List.of()))).toList()));
        } else if (purged.isEmpty() && sets.isEmpty()) {
            out().println("nothing to purge" + (host.graceDeletions().grace().isZero() ? " (delete_grace is 0s: deletes"
                    + " remove at once)" : " (delete_grace " + DurationText.format(host.graceDeletions().grace()) + ")"));
        } else {
            for (Purged p : purged) {
                String head = "backup " + p.backup().id() + " of " + p.backup().volume() + " (cluster " + p.backup().cluster()
                        + "): ";
                if (p.outcome().isPresent()) {
                    out().println(head + "purged");
                    p.outcome().get().removed().forEach(line -> out().println("  removed " + line));
                    p.outcome().get().notes().forEach(note -> out().println("  note: " + note));
                } else {
                    out().println(head + p.skipped().orElseThrow());
                }
            }
        }
        if (!json) {
            for (BackupSetOperations.PurgedSet set : sets) {
                out().println("backup set " + set.set().id() + " (cluster " + set.set().cluster() + "): "
                        + set.waiting().orElse("purged"));
            }
        }
        return failed ? ErrorReport.FAILED : ErrorReport.OK;
    }
}
