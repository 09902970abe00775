package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.api.option.ByteSize;
import io.cairn.host.Host;
import io.cairn.host.backup.VerifyOutcome;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.VerifyRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn verify ID... | --cluster NAME [--volume VOLUME]}: re-reads backups from backup storage and
 * compares them with the digests recorded when they were written. Exit 0 when every backup is intact,
 * 1 when any is not (corrupt, unverifiable, or could not be checked).
 */
@Command(mixinStandardHelpOptions = true, name = "verify", description = {
    "Re-read backups from backup storage and compare them with the digests recorded when they were",
    "written. A backup found damaged is marked corrupt: never the parent of a later backup, restored only",
    "with --force. Exit 0 when all are intact, 1 when any is not."})
final class VerifyCommand extends HostCommand {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Backup ids or unique prefixes.")
    private List<String> ids = new ArrayList<>();

    @Option(names = "--cluster", paramLabel = "NAME", description = "Every stored backup of this cluster (instead of IDs).")
    private String cluster;

    @Option(names = "--volume", paramLabel = "VOLUME", description = "With --cluster: only this volume's backups.")
    private String volume;

    @Option(names = "--source", description = "Also compare each backup with its source snapshot, where it still exists.")
    private boolean source;

    @Option(names = "--sample", paramLabel = "PCT", description = "Check a random part of about PCT percent of each"
            + " backup (more than 0, at most 100; default 100: all). A sample never clears a corrupt backup.")
    private double sample = 100;

    @Option(names = "--json", description = "Print a JSON array, one object per backup.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    private boolean quiet;

    @Override
    int run(Host host) {
        if (!(sample > 0 && sample <= 100)) {
            throw new UsageException("--sample must be more than 0 and at most 100, not " + sample);
        }
        if (ids.isEmpty() == (cluster == null)) {
            throw new UsageException("name the backups to verify: IDs, or --cluster NAME [--volume VOLUME]");
        }
        if (volume != null && cluster == null) {
            throw new UsageException("--volume needs --cluster");
        }
        List<BackupRecord> backups = selected(host);
        List<VerifyView> views = new ArrayList<>();
        boolean allIntact = true;
        for (BackupRecord backup : backups) {
            VerifyView view;
            try (ProgressDisplay progress = quiet || json ? ProgressDisplay.NONE
                    : ProgressDisplay.on(err(), "verify of " + backup.id(), environment().terminal())) {
                VerifyOutcome outcome = host.verifier().verify(backup, host.cluster(backup.cluster()), source, sample,
                        progress);
                view = VerifyView.of(outcome);
                if (!json) {
                    print(outcome);
                }
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                err().println("cairn: " + reason);
                view = VerifyView.failed(backup, reason);
            }
            allIntact &= view.result().equals(Verdict.INTACT.label());
            views.add(view);
        }
        if (json) {
            out().println(JsonOutput.write(views));
        } else if (backups.isEmpty()) {
            out().println("no stored backups to verify");
        }
        return allIntact ? ErrorReport.OK : ErrorReport.FAILED;
    }

    private List<BackupRecord> selected(Host host) {
        if (cluster == null) {
            Map<String, BackupRecord> unique = new LinkedHashMap<>();
            ids.forEach(id -> {
                BackupRecord record = host.catalog().resolve(id);
                unique.putIfAbsent(record.id().value(), record);
            });
            return List.copyOf(unique.values());
        }
        host.cluster(cluster);
        Optional<VolumeRef> only = Optional.ofNullable(volume).map(VolumeArguments::parse);
        return host.catalog().list(new BackupFilter(Optional.of(cluster), only, false)).stream()
                .filter(record -> record.status().isStored()).toList();
    }

    private void print(VerifyOutcome outcome) {
        BackupRecord record = outcome.record();
        VerifyRecord verify = outcome.verify();
        double seconds = outcome.took().toNanos() / 1e9;
        String head = "backup " + record.id() + " of " + record.volume() + " (cluster " + record.cluster() + "): ";
        String checked = ByteSize.human(verify.checkedBytes()) + " of " + ByteSize.human(verify.sizeBytes()) + " checked"
                + (verify.complete() ? "" : String.format(Locale.ROOT, " (a %s%% sample)", percent(verify.samplePercent())))
                + (verify.sourceCompared() ? ", against its source snapshot too" : "") + "; "
                + ByteSize.human(verify.readBytes()) + " read in " + String.format(Locale.ROOT, "%.2f s", seconds)
                + (seconds > 0 && verify.readBytes() > 0 ? " (" + ByteSize.human((long) (verify.readBytes() / seconds)) + "/s)"
                        : "");
        switch (verify.result()) {
            case INTACT -> out().println(head + "intact - " + checked);
            case UNVERIFIABLE -> out().println(head + "UNVERIFIABLE - nothing was recorded to compare it with");
            case CORRUPT -> {
                out().println(head + "CORRUPT - " + checked);
                for (DamagedRange range : verify.damaged()) {
                    out().println("  damaged: bytes " + range.offset() + "-" + (range.end() - 1) + " ("
                            + ByteSize.human(range.length()) + "): " + range.problem());
                }
                if (verify.damaged().size() == VerifyRecord.MAXIMUM_RANGES) {
                    out().println("  (only the first " + VerifyRecord.MAXIMUM_RANGES + " ranges are listed and kept)");
                }
            }
        }
        verify.notes().forEach(note -> out().println("  note: " + note));
        outcome.change().ifPresent(change -> out().println("  " + change));
    }

    private static String percent(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
