package io.cairn.blockstore.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The blocks of a store, each kept once under its SHA-256. A new block is written into the backup's
 * staging directory, flushed, and renamed into place, so a block file is either whole or absent; two
 * backups storing the same block at once both succeed, and one copy stays.
 */
public final class ChunkStore {

    private final StoreLayout layout;
    private final boolean sync;

    public ChunkStore(StoreLayout layout, boolean sync) {
        this.layout = layout;
        this.sync = sync;
    }

    public static String sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean has(String hash) {
        return Files.isRegularFile(layout.chunk(hash));
    }

    /**
     * Stores a block unless it is there already.
     *
     * @param staging the backup's staging directory (on the store's file system)
     * @return whether it was written (false: the store had it)
     */
    public boolean put(String hash, byte[] data, int length, Path staging) throws IOException {
        Path target = layout.chunk(hash);
        if (Files.isRegularFile(target)) {
            return false;
        }
        Path tmp = staging.resolve(hash);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (sync) {
                out.force(true);
            }
        }
        Files.createDirectories(target.getParent());
        try {
            // A hard link never replaces: if another backup stored the same block meanwhile, theirs stays.
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.isRegularFile(target)) {
                return false;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        FileSync.force(target.getParent(), sync);
        return true;
    }

    /**
     * Reads a block and checks it against its name.
     *
     * @throws NoSuchFileException when the block is gone
     * @throws IOException when it cannot be read, or its content no longer has its hash
     */
    public byte[] read(String hash, int length) throws IOException {
        Path file = layout.chunk(hash);
        byte[] data = Files.readAllBytes(file);
        if (data.length != length || !sha256(data, data.length).equals(hash)) {
            throw new IOException("block " + file + " is corrupt: its content no longer has its SHA-256");
        }
        return data;
    }
}
