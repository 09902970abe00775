package io.cairn.blockstore;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The block store backend: raw and sparse image files (and block devices) in a directory - VM disk
 * images on a NAS, say - backed up into a content-addressed, deduplicating block store. Each distinct
 * block is stored once, whichever volume and backup it came from; a backup stores its blocks the
 * store does not have yet and a manifest naming all of them, so every backup restores on its own.
 */
@Extension
public final class BlockStoreBackend implements BackendDescriptor {

    public static final String ID = "blockstore";

    private static final String VERSION = readVersion();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "Image files and block devices of a directory, backed up into a deduplicating block store";
    }

    @Override
    public OptionDefinitions options() {
        return BlockStoreOptions.DEFINITIONS;
    }

    @Override
    public Set<BackendCapability> capabilitySet() {
        // Each backup has a whole manifest: a restore point of its own. A new or empty target gets only the
        // blocks that are not zeros.
        return EnumSet.of(BackendCapability.INCREMENTAL, BackendCapability.INDEPENDENT_RESTORE_POINTS,
                BackendCapability.DIFFERENTIAL_RESTORE, BackendCapability.FILE_SOURCES);
    }

    @Override
    public VolumeNaming volumeNaming() {
        return ImageNaming.INSTANCE;
    }

    @Override
    public BackendSession open(String clusterName, OptionValues options) {
        return BlockStoreSession.open(BlockStoreSettings.from(clusterName, options));
    }

    private static String readVersion() {
        try (InputStream in = BlockStoreBackend.class.getResourceAsStream("blockstore-plugin.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
