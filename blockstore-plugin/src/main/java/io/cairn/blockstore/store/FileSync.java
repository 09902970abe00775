package io.cairn.blockstore.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Flushes files and directories to disk. A rename is durable only once its directory is flushed; a
 * backup counts as stored only when its chunks and its manifest are.
 */
public final class FileSync {

    private FileSync() {
    }

    /** Flushes a file's or a directory's content and metadata, when {@code enabled}. */
    public static void force(Path path, boolean enabled) throws IOException {
        if (!enabled) {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
