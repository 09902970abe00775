package com.example.cairn;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The entry point of the plugin: names the backend, declares its options and capabilities, and opens a
 * session per cluster file. Volumes are files in {@code volumes_dir} ({@code disk1.img}); every backup is
 * a whole copy in {@code backup_dir}.
 */
@Extension
public final class ExampleBackend implements BackendDescriptor {

    static final OptionDefinitions OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("volumes_dir", OptionType.PATH).required()
                    .doc("Directory holding the volumes, one file each (disk1.img).").build(),
            OptionDefinition.builder("backup_dir", OptionType.PATH).required()
                    .doc("Directory the backups are copied to; created when missing.").build());

    @Override
    public String id() {
        return "example";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Files in a directory, backed up as whole copies (an example)";
    }

    @Override
    public OptionDefinitions options() {
        return OPTIONS;
    }

    @Override
    public Set<BackendCapability> capabilitySet() {
        // Whole copies: no incrementals, and each backup restores on its own.
        return EnumSet.of(BackendCapability.INDEPENDENT_RESTORE_POINTS);
    }

    @Override
    public VolumeNaming volumeNaming() {
        return VolumeNaming.of(VolumeNaming.Namespaces.NONE, "a file name in volumes_dir, such as disk1.img");
    }

    @Override
    public BackendSession open(String clusterName, OptionValues options) {
        Path volumes = options.path("volumes_dir").toAbsolutePath().normalize();
        if (!Files.isDirectory(volumes)) {
            throw new InvalidConfigurationException("volumes_dir", "directory " + volumes + " does not exist");
        }
        return new ExampleSession(new Layout(volumes, options.path("backup_dir").toAbsolutePath().normalize()));
    }
}
