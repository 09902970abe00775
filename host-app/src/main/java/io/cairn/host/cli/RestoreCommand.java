package io.cairn.host.cli;

import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.catalog.BackupSetRecord;
import java.util.List;
import java.util.Optional;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.option.ByteSize;
import io.cairn.host.Host;
import io.cairn.host.backup.RestoreOrchestrator.RestoreOutcome;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn restore ID TARGET}: writes a backup to a new or (with --force) existing volume, or a file;
 * {@code cairn restore SET TARGET... | --suffix S | --in-place --force}: every member of a backup set.
 */
@Command(mixinStandardHelpOptions = true, name = "restore", description = {
        "Restore a backup into a volume (created when missing) or a file.",
        "Restore a backup set: every member, into one TARGET each (in the order `cairn show SET` lists them), into"
                + " its volume's name with --suffix appended, or over the members' own volumes (--in-place --force)."})
final class RestoreCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Backup or backup set id, or unique prefix.")
    private String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TARGET", description = "A volume, in the backend's own"
            + " form (Ceph: POOL/IMAGE), or file:/PATH; for a set, one per member.")
    private List<String> targets = new java.util.ArrayList<>();

    @Option(names = "--suffix", paramLabel = "S", description = "For a backup set: restore each member into its"
            + " volume's name with S appended (volumes/db -> volumes/db-S).")
    private String suffix;

    @Option(names = "--in-place", description = "For a backup set: restore each member over its own volume (needs"
            + " --force).")
    private boolean inPlace;

    @Option(names = "--force", description = {"Write over an existing volume that holds data or is in use by a",
        "client (the restore then holds it exclusively: the client's writes fail until it ends); restore a",
        "backup a verify found corrupt (the damaged byte ranges are reported)."})
    private boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    private boolean quiet;

    @Override
    int run(Host host) {
        BackupOrSet found = BackupOrSet.resolve(host.catalog(), host.setCatalog(), id);
        if (found.set().isPresent()) {
            return restoreSet(host, found.set().get());
        }
        if (suffix != null || inPlace) {
            throw new UsageException("--suffix and --in-place are for backup sets; " + id + " is a backup");
        }
        if (targets.size() != 1) {
            throw new UsageException("restore of a backup needs one TARGET");
        }
        BackupRecord backup = found.backup().orElseThrow();
        VolumeRef targetRef = VolumeArguments.parse(targets.get(0));
        RestoreOutcome outcome;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "restore of " + backup.id() + " into " + targetRef, environment().terminal())) {
            outcome = host.restores().restore(backup, host.cluster(backup.cluster()), targetRef, force, progress);
        }
        outcome.notes().forEach(note -> err().println("cairn: note: " + note));
        RestoreResult result = outcome.result();
        List<VerifyView.Range> damaged = backup.status() == BackupStatus.CORRUPT
                ? host.verifyLog().latestCorrupt(backup.id()).map(v -> v.damaged().stream().map(VerifyView.Range::of)
                        .toList()).orElse(List.of())
                : List.of();
        RestoreView view = new RestoreView(outcome.record().id(), backup.id().value(), backup.cluster(),
                backup.volume().locator(), result.target().locator(), result.mode().name().toLowerCase(Locale.ROOT),
                result.targetCreated(), result.targetSizeBytes(), result.bytesWritten(), damaged);
        if (backup.status() == BackupStatus.CORRUPT) {
            err().println("cairn: warning: backup " + backup.id() + " is corrupt; " + view.target() + " holds it as"
                    + " stored, and these byte ranges differ from what was backed up:");
            damaged.forEach(range -> err().println("  bytes " + range.offset() + "-" + (range.offset() + range.length() - 1)
                    + ": " + range.problem()));
        }
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

    private int restoreSet(Host host, BackupSetRecord set) {
        if (inPlace && !force) {
            throw new UsageException("--in-place writes over the members' own volumes: add --force to confirm");
        }
        List<BackupSetOperations.MemberTarget> plan;
        try {
            plan = host.setOperations().targets(set, targets.stream().map(VolumeArguments::parse).toList(),
                    Optional.ofNullable(suffix), inPlace);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        BackupSetOperations.SetRestore restored;
        try (ProgressDisplay progress = quiet ? ProgressDisplay.NONE
                : ProgressDisplay.on(err(), "restore of set " + set.id(), environment().terminal())) {
            restored = host.setOperations().restore(set, host.cluster(set.cluster()), plan, force, progress);
        }
        List<RestoreView> views = new java.util.ArrayList<>();
        for (int i = 0; i < restored.members().size(); i++) {
            RestoreOutcome outcome = restored.members().get(i);
            BackupRecord backup = plan.get(i).member();
            outcome.notes().forEach(note -> err().println("cairn: note: " + note));
            RestoreResult result = outcome.result();
            views.add(new RestoreView(outcome.record().id(), backup.id().value(), backup.cluster(),
                    backup.volume().locator(), result.target().locator(), result.mode().name().toLowerCase(Locale.ROOT),
                    result.targetCreated(), result.targetSizeBytes(), result.bytesWritten(), List.of()));
        }
        if (json) {
            out().println(JsonOutput.write(new SetRestoreView(set.id(), views)));
        } else {
            out().printf("restored backup set %s (%s) on cluster %s%n", set.id(), set.describe(), set.cluster());
            for (RestoreView view : views) {
                out().printf("  %s -> %s: %s restore, %s target, %s written%n", view.volume(), view.target(),
                        view.mode(), view.targetCreated() ? "new" : "existing", ByteSize.human(view.bytesWritten()));
            }
        }
        return ErrorReport.OK;
    }

    /** {@code cairn restore SET --json}: the set and one restore per member. */
    record SetRestoreView(String set, List<RestoreView> members) {
    }

    /** {@code cairn restore --json}; {@code restore} is the id of the restore's record ({@code cairn restores}). */
    /**
     * {@code cairn restore --json}; {@code restore} is the id of the restore's record ({@code cairn restores});
     * {@code damaged} the byte ranges a verify found damaged, for a corrupt backup restored with --force.
     */
    record RestoreView(String restore, String backup, String cluster, String volume, String target, String mode,
            boolean targetCreated, long targetSizeBytes, long bytesWritten, List<VerifyView.Range> damaged) {
    }
}
