package io.cairn.blockstore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes the chunks no manifest names (mark and sweep), under the store's exclusive lock: then no
 * backup is running, and every chunk a backup will still name is named by a manifest already. A crash
 * half-way leaves chunks that the next sweep removes; a manifest that cannot be read stops the sweep,
 * because what it names cannot be known.
 */
public final class GarbageCollector {

    private final StoreLayout layout;
    private final StoreLock lock;

    public GarbageCollector(StoreLayout layout, StoreLock lock) {
        this.layout = layout;
        this.lock = lock;
    }

    /** What a sweep did, or why it did not run. */
    public record Sweep(boolean ran, int chunksRemoved, long bytesRemoved, String note) {
    }

    /** Sweeps now if the lock is free; never waits for it. */
    public Sweep sweepIfIdle() {
        Optional<StoreLock.Hold> hold = lock.tryExclusive();
        if (hold.isEmpty()) {
            return new Sweep(false, 0, 0, "a backup or restore is using the block store " + layout.root()
                    + "; blocks no longer used are removed at a later delete");
        }
        try (StoreLock.Hold held = hold.get()) {
            return sweep();
        }
    }

    private Sweep sweep() {
        Set<String> used = new HashSet<>();
        try (DirectoryStream<Path> manifests = Files.newDirectoryStream(layout.manifests(), "*.manifest")) {
            for (Path file : manifests) {
                try {
                    used.addAll(Manifest.read(file).chunks());
                } catch (NoSuchFileException e) {
                    // deleted meanwhile: its chunks may go
                } catch (IOException e) {
                    return new Sweep(false, 0, 0, "unused blocks were not removed: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the manifests of " + layout.root() + ": " + e.getMessage(), e);
        }
        int removed = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.walk(layout.chunks(), 3)) {
            for (Path chunk : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!used.contains(chunk.getFileName().toString())) {
                    long size = Files.size(chunk);
                    if (Files.deleteIfExists(chunk)) {
                        removed++;
                        bytes += size;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove unused blocks of " + layout.root() + ": " + e.getMessage(), e);
        }
        return new Sweep(true, removed, bytes, "");
    }

    /** Chunk files present now, for tests and for the count in notes. */
    public List<Path> chunkFiles() {
        try (Stream<Path> files = Files.walk(layout.chunks(), 3)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
