package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.backup.BackupOrder;
import io.cairn.host.backup.BackupOutcome;
import io.cairn.host.backup.OperationFailedException;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.view.BackupView;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn backup CLUSTER VOLUME}: one backup, full or incremental. */
@Command(mixinStandardHelpOptions = true, name = "backup", description = "Back up one volume (VOLUME, as the cluster's backend names it) or file (file:/PATH) of a cluster.")
final class BackupCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "A cluster from conf/clusters/.")
    private String cluster;

    @Parameters(index = "1", paramLabel = "VOLUME", description = "The volume, in the backend's own form (Ceph: POOL/IMAGE; `cairn plugins` shows each backend's), or file:/PATH for a file or block device.")
    private String volume;

    @Option(names = "--full", description = "Start a new chain with a full backup, even if an incremental one is possible.")
    private boolean full;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label kept with the backup; repeatable.")
    private Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the backup as JSON.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    private boolean quiet;

    @Override
    int run(Host host) {
        VolumeRef volumeRef = VolumeArguments.parse(volume);
        ConfiguredCluster configured = host.cluster(cluster);
        BackupOutcome outcome;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "backup of " + volumeRef, environment().terminal())) {
            outcome = host.backups().backup(new BackupOrder(configured, volumeRef, full, labels), progress);
        } catch (OperationFailedException e) {
            if (json && e.record().isPresent()) {
                BackupRecord failed = e.record().get();
                out().println(JsonOutput.write(BackupView.of(failed, host.catalog().resources(failed.id()), null)));
            }
            throw e;
        }
        outcome.notes().forEach(note -> err().println("cairn: note: " + note));
        BackupRecord backup = host.catalog().find(outcome.record().id()).orElse(outcome.record());
        List<RecordedResource> resources = host.catalog().resources(backup.id());
        if (json) {
            out().println(JsonOutput.write(BackupView.of(backup, resources, null)));
        } else {
            out().print(new BackupText(ZoneId.systemDefault()).details(backup, resources, List.of()));
        }
        return ErrorReport.OK;
    }
}
