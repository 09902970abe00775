package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.option.ByteSize;
import io.cairn.host.Host;
import io.cairn.host.backup.RestoreOrchestrator.RestoreOutcome;
import io.cairn.host.catalog.BackupRecord;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn restore ID TARGET}: writes a backup to a new or (with --force) existing volume, or a file. */
@Command(mixinStandardHelpOptions = true, name = "restore", description = "Restore a backup into a volume (created when missing) or a file.")
final class RestoreCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup id or unique prefix.")
    private String id;

    @Parameters(index = "1", paramLabel = "TARGET", description = "A volume, in the backend's own form (Ceph: POOL/IMAGE), or file:/PATH.")
    private String target;

    @Option(names = "--force", description = {"Write over an existing volume that holds data or is in use by a",
        "client (the restore then holds it exclusively: the client's writes fail until it ends)."})
    private boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    private boolean quiet;

    @Override
    int run(Host host) {
        BackupRecord backup = host.catalog().resolve(id);
        VolumeRef targetRef = VolumeArguments.parse(target);
        RestoreOutcome outcome;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "restore of " + backup.id() + " into " + targetRef, environment().terminal())) {
            outcome = host.restores().restore(backup, host.cluster(backup.cluster()), targetRef, force, progress);
        }
        outcome.notes().forEach(note -> err().println("cairn: note: " + note));
        RestoreResult result = outcome.result();
        RestoreView view = new RestoreView(outcome.record().id(), backup.id().value(), backup.cluster(),
                backup.volume().locator(), result.target().locator(), result.mode().name().toLowerCase(Locale.ROOT),
                result.targetCreated(), result.targetSizeBytes(), result.bytesWritten());
        if (json) {
            out().println(JsonOutput.write(view));
        } else {
            out().printf("restored backup %s of %s into %s on cluster %s%n  %s restore, %s target, %s, %s written%n",
                    view.backup(), view.volume(), view.target(), view.cluster(), view.mode(),
                    view.targetCreated() ? "new" : "existing", ByteSize.human(view.targetSizeBytes()),
                    ByteSize.human(view.bytesWritten()));
        }
        return ErrorReport.OK;
    }

    /** {@code cairn restore --json}; {@code restore} is the id of the restore's record ({@code cairn restores}). */
    record RestoreView(String restore, String backup, String cluster, String volume, String target, String mode,
            boolean targetCreated, long targetSizeBytes, long bytesWritten) {
    }
}
