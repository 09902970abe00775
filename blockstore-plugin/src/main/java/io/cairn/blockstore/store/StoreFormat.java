package io.cairn.blockstore.store;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code store.properties}: the store's format and chunk size. Written once, by the first session that
 * finds the store empty; every later session checks that its {@code chunk_size} is the store's, since
 * blocks of another size would never match the stored ones.
 */
public final class StoreFormat {

    static final String FORMAT = "1";

    private StoreFormat() {
    }

    /**
     * Creates the store's directories and format file when missing, and checks the chunk size.
     *
     * @throws InvalidConfigurationException when the store was made with another chunk size or format
     */
    public static void openOrCreate(StoreLayout layout, int chunkSize) {
        try {
            Files.createDirectories(layout.root());
            Files.createDirectories(layout.chunks());
            Files.createDirectories(layout.manifests());
            Files.createDirectories(layout.root().resolve("tmp"));
            Path file = layout.formatFile();
            if (!Files.exists(file)) {
                Properties properties = new Properties();
                properties.setProperty("format", FORMAT);
                properties.setProperty("chunk_size", Integer.toString(chunkSize));
                properties.setProperty("hash", "sha256");
                Path tmp = layout.root().resolve("store.properties." + UUID.randomUUID() + ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    properties.store(out, "Cairn block store; do not edit");
                }
                try {
                    // Another session may be creating it at the same time: a hard link never replaces a file,
                    // so the first one wins, and both check what it wrote.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // theirs is kept
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            Properties found = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                found.load(in);
            }
            if (!FORMAT.equals(found.getProperty("format"))) {
                throw new InvalidConfigurationException("store_dir", "the store at " + layout.root() + " has format "
                        + found.getProperty("format") + ", which this plugin does not read (it reads format " + FORMAT + ")");
            }
            int stored = Integer.parseInt(found.getProperty("chunk_size", "0"));
            if (stored != chunkSize) {
                throw new InvalidConfigurationException("chunk_size", ByteSize.format(chunkSize) + " differs from the store's "
                        + ByteSize.format(stored) + " (" + file + "); a store keeps the chunk size of its first backup");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the block store " + layout.root() + ": " + e.getMessage(), e);
        }
    }
}
