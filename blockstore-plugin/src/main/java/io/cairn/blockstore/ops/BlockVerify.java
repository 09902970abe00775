package io.cairn.blockstore.ops;

import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.blockstore.store.ChunkStore;
import io.cairn.blockstore.store.Manifest;
import io.cairn.blockstore.store.StoreLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a backup of the block store: its manifest is the record made at backup time - the SHA-256 of
 * every block - so each block the manifest names is read from the store and hashed again. A block of
 * zeros is not stored and cannot be damaged. With a source comparison the snapshot the backup was made
 * from (by name and identity) is read too, block by block, and compared with the manifest.
 */
public final class BlockVerify implements VerifyOperation {

    static final String DIFFERS = "differs from the digest recorded at backup time";

    private final StoreContext store;

    public BlockVerify(StoreContext store) {
        this.store = store;
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
        BackupRef backup = request.backup();
        List<String> notes = new ArrayList<>();
        try (StoreLock.Hold held = store.lock().shared(store.lockTimeout())) {
            Manifest manifest;
            Path file = store.layout().manifest(backup.id());
            try {
                manifest = Manifest.read(file);
            } catch (NoSuchFileException e) {
                return gone("its manifest " + file + " is gone", notes, request);
            } catch (IOException e) {
                return gone("its manifest cannot be read: " + e.getMessage(), notes, request);
            }
            int count = manifest.chunks().size();
            int[] chosen = choose(count, request.samplePercent());
            Optional<Path> source = request.compareSource() ? source(backup, manifest, notes) : Optional.empty();
            List<DamagedRange> damaged = new ArrayList<>();
            long checked = 0;
            long read = 0;
            long total = 0;
            for (int index : chosen) {
                total += manifest.chunkLength(index);
            }
            try (FileChannel snapshot = source.isPresent() ? FileChannel.open(source.get(), StandardOpenOption.READ) : null) {
                for (int index : chosen) {
                    int length = manifest.chunkLength(index);
                    long offset = (long) index * manifest.chunkSize();
                    String recorded = manifest.chunks().get(index);
                    if (!recorded.equals(Manifest.ZERO)) {
                        checkStored(recorded, length, offset, damaged);
                        read += length;
                    }
                    if (snapshot != null) {
                        read += length;
                        if (!recorded.equals(hashOf(snapshot, offset, length))) {
                            add(damaged, offset, length, "the source snapshot " + DIFFERS);
                        }
                    }
                    checked += length;
                    request.progress().onProgress(checked, total);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("verify of backup " + backup.id() + ": cannot read its source snapshot: "
                        + e.getMessage(), e);
            }
            request.progress().onProgress(total, total);
            return new VerifyResult(damaged.isEmpty() ? Verdict.INTACT : Verdict.CORRUPT, manifest.sizeBytes(), checked,
                    read, source.isPresent(), damaged, notes);
        }
    }

    private void checkStored(String hash, int length, long offset, List<DamagedRange> damaged) {
        Path block = store.layout().chunk(hash);
        try {
            byte[] data = Files.readAllBytes(block);
            if (data.length != length || !ChunkStore.sha256(data, data.length).equals(hash)) {
                add(damaged, offset, length, DIFFERS);
            }
        } catch (NoSuchFileException e) {
            add(damaged, offset, length, "its block is gone from the store");
        } catch (IOException e) {
            add(damaged, offset, length, "its block cannot be read: " + e.getMessage());
        }
    }

    /** The hash a manifest would record for bytes of the source snapshot: {@code -} for zeros. */
    private static String hashOf(FileChannel in, long offset, int length) throws IOException {
        byte[] data = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return Zeros.isZero(data, length) ? Manifest.ZERO : ChunkStore.sha256(data, length);
    }

    /** The snapshot file the backup was made from, when it is still there with the recorded identity. */
    private Optional<Path> source(BackupRef backup, Manifest manifest, List<String> notes) {
        String name = backup.snapshot().map(VolumeSnapshot::name).orElse(manifest.snapshot());
        String identity = backup.snapshot().map(VolumeSnapshot::identity).filter(id -> !id.isEmpty())
                .orElse(manifest.snapshotIdentity());
        try {
            Optional<String> present = name.isEmpty() ? Optional.empty() : store.snapshots().identity(backup.volume(), name);
            if (present.isEmpty()) {
                notes.add("source snapshot " + name + " of " + backup.volume() + " is gone: not compared");
                return Optional.empty();
            }
            if (!identity.isEmpty() && !present.get().equals(identity)) {
                notes.add("source snapshot " + name + " of " + backup.volume() + " is another snapshot of the same name:"
                        + " not compared");
                return Optional.empty();
            }
            return Optional.of(store.snapshots().data(backup.volume(), name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VerifyResult gone(String why, List<String> notes, VerifyRequest request) {
        request.progress().onProgress(0, 0);
        return new VerifyResult(Verdict.CORRUPT, 0, 0, 0, false,
                List.of(new DamagedRange(0, 1, "the restore point is gone: " + why)), notes);
    }

    /** Joins a damaged block to the range before it when adjacent with the same problem. */
    private static void add(List<DamagedRange> damaged, long offset, long length, String problem) {
        if (!damaged.isEmpty()) {
            DamagedRange last = damaged.get(damaged.size() - 1);
            if (last.end() == offset && last.problem().equals(problem)) {
                damaged.set(damaged.size() - 1, new DamagedRange(last.offset(), last.length() + length, problem));
                return;
            }
        }
        damaged.add(new DamagedRange(offset, length, problem));
    }

    /** Every block, or a random part of about {@code percent} of them (at least one), ascending. */
    static int[] choose(int count, double percent) {
        int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        if (percent >= 100 || count == 0) {
            return all;
        }
        int wanted = (int) Math.max(1, Math.min(count, Math.ceil(count * percent / 100)));
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(count - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] chosen = Arrays.copyOf(all, wanted);
        Arrays.sort(chosen);
        return chosen;
    }
}
