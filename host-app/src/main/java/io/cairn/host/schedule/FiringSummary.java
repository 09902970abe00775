package io.cairn.host.schedule;

import io.cairn.api.operation.BackupKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The one line a firing leaves in the catalog and the log:
 * {@code 2 of 3 volumes backed up (1 full, 1 incremental), 2 pruned; volumes/db2: busy ...}.
 */
final class FiringSummary {

    private FiringSummary() {
    }

    static String of(List<VolumeRunResult> results, List<String> notes) {
        if (results.isEmpty()) {
            List<String> parts = new ArrayList<>(List.of("no volume to back up"));
            parts.addAll(notes);
            return String.join("; ", parts);
        }
        long ok = results.stream().filter(r -> r.backup().isPresent()).count();
        long full = results.stream().filter(r -> r.backup().map(b -> b.kind() == BackupKind.FULL).orElse(false)).count();
        int pruned = results.stream().mapToInt(VolumeRunResult::pruned).sum();
        List<String> parts = new ArrayList<>();
        parts.add(ok + " of " + results.size() + " volume" + (results.size() == 1 ? "" : "s") + " backed up ("
                + full + " full, " + (ok - full) + " incremental), " + pruned + " pruned");
        for (VolumeRunResult result : results) {
            result.failure().ifPresent(why -> parts.add(result.volume() + ": " + why));
            result.notes().forEach(note -> parts.add(result.volume() + ": " + note));
        }
        parts.addAll(notes);
        return String.join("; ", parts);
    }
}
