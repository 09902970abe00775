package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.backup.RebuildReport;
import io.cairn.host.backup.RebuildReport.Conflict;
import io.cairn.host.backup.RebuildReport.Imported;
import io.cairn.host.view.BackupView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn catalog rebuild CLUSTER}: the catalog from what the cluster's backend stored. */
@Command(mixinStandardHelpOptions = true, name = "rebuild", description = {
    "Record every backup the cluster's backup storage holds that the catalog lacks - after data_dir was",
    "lost, or on a new host - from what the backend stored beside each (for Ceph: base images, their",
    "snapshots, metadata objects), and report records that disagree with storage without changing them.",
    "Backups OpenStack's reference driver wrote are imported as restorable but foreign (see cairn adopt).",
    "Running it again changes nothing."})
final class CatalogRebuildCommand implements Callable<Integer> {

    @ParentCommand
    private CatalogToolCommand parent;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster whose backup storage to read.")
    private String cluster;

    @Option(names = "--dry-run", description = "Say what would be recorded; record nothing.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print JSON: cluster, dry_run, imported, agreeing, conflicts, notes.")
    private boolean json;

    /** {@code --json}'s shape. */
    record RebuildView(String cluster, boolean dryRun, List<ImportedView> imported, List<String> agreeing,
            List<ConflictView> conflicts, List<String> notes) {
    }

    /** One backup recorded. */
    record ImportedView(BackupView backup, boolean placeholder, boolean snapshotAdopted, String origin,
            List<String> notes) {
    }

    /** One disagreement. */
    record ConflictView(String backup, String conflict) {
    }

    @Override
    public Integer call() {
        CairnCli cli = parent.cli();
        try (Host host = Host.open(cli.confDir())) {
            RebuildReport report = host.rebuilder().rebuild(host.cluster(cluster), dryRun);
            if (json) {
                cli.environment().out().println(JsonOutput.write(new RebuildView(report.cluster(), report.dryRun(),
                        report.imported().stream().map(i -> new ImportedView(BackupView.of(i.record()), i.placeholder(),
                                i.adopted(), i.found().origin(), i.found().notes())).toList(),
                        report.agreeing().stream().map(id -> id.value()).toList(),
                        report.conflicts().stream().map(c -> new ConflictView(c.backup().value(), c.what())).toList(),
                        report.notes())));
            } else {
                print(report, cli);
            }
            return report.conflicts().isEmpty() ? ErrorReport.OK : ErrorReport.FAILED;
        }
    }

    private static void print(RebuildReport report, CairnCli cli) {
        var out = cli.environment().out();
        String verb = report.dryRun() ? "would record" : "recorded";
        for (Imported imported : report.imported()) {
            var record = imported.record();
            out.println(verb + " " + record.id() + "  " + record.volume() + "  " + record.kind().label() + "  "
                    + record.status().label() + record.parent().map(p -> "  parent " + p).orElse("")
                    + (imported.placeholder() ? "  (placeholder: a parent storage no longer holds)" : "")
                    + (imported.adopted() ? "  (its source snapshot held again)" : "")
                    + (imported.found().foreign() && !imported.placeholder() ? "  (written by "
                            + imported.found().origin() + ")" : ""));
        }
        for (Conflict conflict : report.conflicts()) {
            out.println("conflict " + conflict.backup() + ": " + conflict.what());
        }
        report.notes().forEach(note -> out.println("note: " + note));
        long real = report.imported().stream().filter(i -> !i.placeholder()).count();
        out.println("cluster " + report.cluster() + ": " + real + " backups " + verb + ", " + report.agreeing().size()
                + " already in the catalog, " + report.conflicts().size() + " conflicts"
                + (report.dryRun() ? " (dry run: nothing written)" : ""));
    }
}
