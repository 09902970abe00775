package io.cairn.blockstore.store;

import io.cairn.api.error.TransientBackendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's lock, across threads and processes (and hosts, where the file system's locks reach
 * them: NFSv4 does). Backups and restores hold it shared for as long as they run; removing unused
 * chunks holds it exclusively and only tries, never waits, so a delete never stalls behind a backup.
 *
 * <p>This is what makes removing chunks safe: a backup that found a block already in the store and
 * did not write it relies on that block staying until its manifest names it. While any backup runs,
 * no chunk is removed; once none runs, every manifest that will ever name an existing chunk is
 * written.
 *
 * <p>Java's file locks belong to the whole JVM, so one OS lock per store file is shared by the JVM's
 * threads: the first shared holder takes it, the last one releases it.
 */
public final class StoreLock {

    private static final Map<Path, StoreLock> BY_FILE = new ConcurrentHashMap<>();

    private final Path file;
    private int sharedHolders;
    private boolean exclusive;
    private FileChannel channel;
    private FileLock osLock;

    private StoreLock(Path file) {
        this.file = file;
    }

    /** The one lock of this JVM for a store's lock file. */
    public static StoreLock of(Path lockFile) {
        return BY_FILE.computeIfAbsent(lockFile.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** Held until closed. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits up to {@code timeout} for a shared hold.
     *
     * @throws TransientBackendException when unused chunks were being removed all that time
     */
    public Hold shared(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                if (!exclusive) {
                    if (sharedHolders == 0 && !acquire(true)) {
                        // another process removes chunks: wait below
                    } else {
                        sharedHolders++;
                        return this::releaseShared;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TransientBackendException("the block store's lock " + file + " stayed held for removing unused"
                        + " chunks for " + timeout.toSeconds() + " s; try again later");
            }
            sleep();
        }
    }

    /** An exclusive hold if nobody holds the lock now, in this process or another; never waits. */
    public synchronized Optional<Hold> tryExclusive() {
        if (exclusive || sharedHolders > 0 || !acquire(false)) {
            return Optional.empty();
        }
        exclusive = true;
        return Optional.of(this::releaseExclusive);
    }

    private synchronized void releaseShared() {
        if (--sharedHolders == 0) {
            release();
        }
    }

    private synchronized void releaseExclusive() {
        exclusive = false;
        release();
    }

    private boolean acquire(boolean shared) {
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            }
            osLock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (osLock == null) {
                return false;
            }
            return true;
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("the lock of " + file + " is already held in this JVM outside StoreLock", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the block store's " + file + ": " + e.getMessage(), e);
        }
    }

    private void release() {
        try {
            if (osLock != null) {
                osLock.release();
                osLock = null;
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the block store's lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientBackendException("interrupted while waiting for the block store's lock");
        }
    }
}
