package io.cairn.host.testbackend;

import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Verifies a stored copy against the block digests written with it, and - when asked and still there -
 * its source snapshot file (by name and identity) against the same digests.
 */
final class DirectoryVerify implements VerifyOperation {

    private final DirectoryLayout layout;

    DirectoryVerify(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
        BackupRef backup = request.backup();
        Path stored = layout.stored(backup.id());
        List<String> notes = new ArrayList<>();
        List<String> recorded;
        try {
            recorded = Files.readAllLines(layout.digests(backup.id()));
        } catch (NoSuchFileException e) {
            request.progress().onProgress(0, 0);
            if (Files.isRegularFile(stored)) {
                notes.add("no digests were recorded for backup " + backup.id());
                return new VerifyResult(Verdict.UNVERIFIABLE, DirectoryLayout.size(stored), 0, 0, false, List.of(), notes);
            }
            return new VerifyResult(Verdict.CORRUPT, 0, 0, 0, false,
                    List.of(new DamagedRange(0, 1, "the restore point is gone: " + stored + " is missing")), notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long block = layout.blockSize();
        long size = Files.isRegularFile(stored) ? DirectoryLayout.size(stored) : 0;
        List<Integer> chosen = choose(recorded.size(), request.samplePercent());
        List<DamagedRange> damaged = new ArrayList<>();
        try {
            compare(stored, recorded, chosen, block, "differs from the digest recorded at backup time", damaged);
            boolean compared = false;
            if (request.compareSource()) {
                Path snapshot = sourceSnapshot(backup, notes);
                if (snapshot != null) {
                    compare(snapshot, recorded, chosen, block, "the source snapshot differs from the digest recorded"
                            + " at backup time", damaged);
                    compared = true;
                }
            }
            long checked = 0;
            for (int index : chosen) {
                checked += Math.min(block, Math.max(0, size - index * block));
            }
            long total = Math.min(checked, size);
            request.progress().onProgress(total, total);
            return new VerifyResult(damaged.isEmpty() ? Verdict.INTACT : Verdict.CORRUPT, size, total,
                    compared ? 2 * total : total, compared, damaged, notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(Path file, List<String> recorded, List<Integer> chosen, long block, String problem,
                                List<DamagedRange> damaged) throws IOException {
        List<String> actual = Files.exists(file) ? BlockDigests.list(file, block) : List.of();
        for (int index : chosen) {
            if (index >= actual.size() || !actual.get(index).equals(recorded.get(index))) {
                DamagedRange range = new DamagedRange(index * block, block, problem);
                if (!damaged.isEmpty() && damaged.get(damaged.size() - 1).end() == range.offset()
                        && damaged.get(damaged.size() - 1).problem().equals(problem)) {
                    DamagedRange last = damaged.remove(damaged.size() - 1);
                    range = new DamagedRange(last.offset(), last.length() + block, problem);
                }
                damaged.add(range);
            }
        }
    }

    private Path sourceSnapshot(BackupRef backup, List<String> notes) {
        Optional<VolumeSnapshot> recorded = backup.snapshot().or(() -> describedSnapshot(backup));
        if (recorded.isEmpty()) {
            notes.add("no source snapshot recorded: not compared");
            return null;
        }
        VolumeSnapshot snapshot = recorded.get();
        Path file = layout.snapshotsOf(snapshot.volume()).resolve(snapshot.name());
        String identity = DirectoryLayout.identity(file);
        if (identity.isEmpty() || (snapshot.hasIdentity() && !identity.equals(snapshot.identity()))) {
            notes.add("source snapshot " + snapshot.name() + " is gone: not compared");
            return null;
        }
        return file;
    }

    /** The snapshot the description beside the copy names, for a host that hands none over. */
    private Optional<VolumeSnapshot> describedSnapshot(BackupRef backup) {
        java.util.Properties description = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(layout.description(backup.id()))) {
            description.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String name = description.getProperty("snapshot", "");
        return name.isEmpty() ? Optional.empty() : Optional.of(new VolumeSnapshot(backup.id(), backup.volume(), name,
                Long.parseLong(description.getProperty("size_bytes", "0")),
                java.time.Instant.parse(description.getProperty("created_at")), description.getProperty("snapshot_identity", "")));
    }

    private static List<Integer> choose(int count, double percent) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        if (percent >= 100) {
            return all;
        }
        Collections.shuffle(all, new Random());
        List<Integer> chosen = new ArrayList<>(all.subList(0, (int) Math.max(1, Math.ceil(count * percent / 100))));
        Collections.sort(chosen);
        return chosen;
    }
}
