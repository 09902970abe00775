package io.cairn.host.cli;

import io.cairn.api.VolumeNaming;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.backup.PruneOutcome;
import io.cairn.host.backup.PrunedBackup;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn prune SCHEDULE}: applies a schedule's retention now, to every volume of its cluster that
 * its {@code volumes:} select and that has backups in the catalog. {@code --dry-run} shows the verdicts
 * and deletes nothing.
 */
@Command(mixinStandardHelpOptions = true, name = "prune", description = {
    "Apply a schedule's retention now: list every backup of the volumes it selects as 'keep (rule)' or",
    "'remove (why)', and delete those removed (not with --dry-run)."})
final class PruneCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "SCHEDULE", description = "A schedule from conf/schedules/.")
    private String scheduleName;

    @Option(names = "--dry-run", description = "Show what would be kept and removed; delete nothing.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print a JSON array, one object per volume.")
    private boolean json;

    @Override
    int run(Host host) {
        Schedule schedule = ScheduleFileReader.read(host.conf(), scheduleName);
        ConfiguredCluster cluster = host.cluster(schedule.cluster());
        VolumeNaming naming = cluster.backend().descriptor().volumeNaming();
        List<VolumeRef> volumes = host.catalog().volumesWithBackups(cluster.name()).stream()
                .filter(volume -> schedule.volumes().stream().anyMatch(selector -> selector.selects(volume, naming)))
                .toList();
        List<PruneOutcome> outcomes = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (VolumeRef volume : volumes) {
            try {
                outcomes.add(host.pruner().prune(cluster, volume, schedule.retention(), schedule.timeZone(), dryRun));
            } catch (VolumeBusyException e) {
                busy.add(e.getMessage());
            }
        }
        if (json) {
            out().println(JsonOutput.write(outcomes.stream().map(PruneView::of).toList()));
        } else {
            out().print(describe(schedule, outcomes, new BackupText(ZoneId.systemDefault())));
        }
        busy.forEach(message -> err().println("cairn: not pruned: " + message));
        boolean failed = !busy.isEmpty() || outcomes.stream().anyMatch(o -> !o.succeeded());
        outcomes.stream().flatMap(o -> o.backups().stream()).filter(b -> b.failure().isPresent())
                .forEach(b -> err().println("cairn: could not delete " + b.record().id() + ": " + b.failure().get()));
        return failed ? ErrorReport.FAILED : ErrorReport.OK;
    }

    private String describe(Schedule schedule, List<PruneOutcome> outcomes, BackupText text) {
        StringBuilder out = new StringBuilder();
        out.append("schedule ").append(schedule.name()).append(": ").append(schedule.retention().describe())
                .append(" (").append(schedule.timeZone()).append(')').append(dryRun ? ", dry run: nothing deleted" : "")
                .append('\n');
        if (outcomes.isEmpty()) {
            out.append("no backups of the volumes it selects\n");
        }
        for (PruneOutcome outcome : outcomes) {
            out.append('\n').append(outcome.volume()).append(" on cluster ").append(outcome.cluster()).append('\n');
            TextTable table = new TextTable("ID", "CREATED", "KIND", "STATUS", "VERDICT");
            for (PrunedBackup backup : outcome.backups()) {
                String verdict = backup.decision().label();
                if (backup.deleted()) {
                    verdict += ", deleted";
                }
                if (backup.failure().isPresent()) {
                    verdict += ", NOT deleted: " + backup.failure().get();
                }
                table.row(backup.record().id().value(), text.time(backup.record().startedAt()),
                        backup.record().kind().label(), backup.record().status().label(), verdict);
            }
            out.append(table.render());
            long removed = outcome.removed().size();
            out.append(outcome.backups().size() - removed).append(" kept, ").append(removed)
                    .append(dryRun ? " would be removed" : " removed").append('\n');
        }
        return out.toString();
    }
}
