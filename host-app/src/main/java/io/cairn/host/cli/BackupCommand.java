package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.backup.BackupOrder;
import io.cairn.host.backup.BackupOutcome;
import io.cairn.host.backup.BackupSetOrchestrator;
import io.cairn.host.backup.SetFailedException;
import io.cairn.host.backup.SetOrder;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.view.SetView;
import java.util.ArrayList;
import java.util.Optional;
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

/**
 * {@code cairn backup CLUSTER VOLUME}: one backup, full or incremental; {@code VOLUME@SNAP}: a backup of an
 * existing snapshot; several volumes or {@code --group}: a backup set, all at one instant.
 */
@Command(mixinStandardHelpOptions = true, name = "backup", description = {
        "Back up one volume (VOLUME, as the cluster's backend names it) or file (file:/PATH) of a cluster.",
        "VOLUME@SNAP backs up an existing snapshot of the volume as it is (it is not Cairn's and is never removed"
                + " by it). Several volumes, or --group, are backed up together at one instant, as one backup set."})
final class BackupCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "A cluster from conf/clusters/.")
    private String cluster;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "VOLUME", description = "The volume, in the backend's own"
            + " form (Ceph: POOL/IMAGE; `cairn plugins` shows each backend's), file:/PATH for a file or block device,"
            + " or VOLUME@SNAP for an existing snapshot. Two or more: backed up together, as one backup set.")
    private List<String> volumes = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "Back up the members of a group the backend keeps"
            + " (Ceph: an RBD group, POOL/GROUP) together, at one instant, as one backup set.")
    private String group;

    @Option(names = "--parent", paramLabel = "ID", description = "Make an incremental backup from this available backup"
            + " of the same volume (id or unique prefix) instead of the newest one.")
    private String parent;

    @Option(names = "--full", description = "Start a new chain with a full backup, even if an incremental one is possible.")
    private boolean full;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label kept with the backup; repeatable.")
    private Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the backup (or set) as JSON.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    private boolean quiet;

    /** A command line naming something to back up connects to its cluster for certain. */
    @Override
    List<String> clustersToOpenAhead() {
        return volumes.isEmpty() && group == null ? List.of() : List.of(cluster);
    }

    @Override
    int run(Host host) {
        if (group != null || volumes.size() > 1) {
            return backUpSet(host);
        }
        if (volumes.isEmpty()) {
            throw new UsageException("name a VOLUME to back up (or several, or --group GROUP, for a backup set)");
        }
        String argument = volumes.get(0);
        Optional<String> snapshot = Optional.empty();
        int at = argument.lastIndexOf('@');
        if (at > 0 && !argument.startsWith("file:")) {
            snapshot = Optional.of(argument.substring(at + 1));
            argument = argument.substring(0, at);
            if (snapshot.get().isBlank()) {
                throw new UsageException("'" + volumes.get(0) + "' names no snapshot after '@'; write VOLUME@SNAP");
            }
        }
        VolumeRef volumeRef = VolumeArguments.parse(argument);
        ConfiguredCluster configured = host.cluster(cluster);
        BackupOrder order = new BackupOrder(configured, volumeRef, full, labels);
        if (snapshot.isPresent()) {
            order = order.fromExistingSnapshot(snapshot.get());
        }
        if (parent != null) {
            if (full) {
                throw new UsageException("--full and --parent exclude each other: a full backup has no parent");
            }
            order = order.withParent(host.catalog().resolve(parent).id());
        }
        BackupOutcome outcome;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "backup of " + volumes.get(0), environment().terminal())) {
            outcome = host.backups().backup(order, progress);
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

    private int backUpSet(Host host) {
        if (group != null && !volumes.isEmpty()) {
            throw new UsageException("--group names the set's volumes: give either --group GROUP or several volumes,"
                    + " not both");
        }
        if (parent != null) {
            throw new UsageException("--parent chooses the parent of one volume's backup; a backup set's members are"
                    + " each incremental from their volume's newest backup");
        }
        List<VolumeRef> listed = new ArrayList<>();
        for (String volume : volumes) {
            if (volume.contains("@") || volume.startsWith("file:")) {
                throw new UsageException("'" + volume + "': volumes backed up together are volumes of the backend,"
                        + " not files or existing snapshots");
            }
            VolumeRef ref = VolumeArguments.parse(volume);
            if (listed.contains(ref)) {
                throw new UsageException("'" + volume + "' is named twice");
            }
            listed.add(ref);
        }
        ConfiguredCluster configured = host.cluster(cluster);
        SetOrder order = new SetOrder(configured, Optional.ofNullable(group).map(String::strip), listed, full, labels,
                ChainRules.UNLIMITED);
        BackupSetOrchestrator.SetOutcome outcome;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "backup set of " + order.describe(), environment().terminal())) {
            outcome = host.sets().backup(order, progress);
        } catch (SetFailedException e) {
            if (json) {
                out().println(JsonOutput.write(SetView.of(e.set(), host.setOperations().members(e.set()))));
            }
            throw e;
        }
        outcome.notes().forEach(note -> err().println("cairn: note: " + note));
        List<BackupRecord> members = host.setOperations().members(outcome.set());
        if (json) {
            out().println(JsonOutput.write(SetView.of(outcome.set(), members)));
        } else {
            out().print(new SetText(ZoneId.systemDefault()).details(outcome.set(), members));
        }
        return ErrorReport.OK;
    }
}
