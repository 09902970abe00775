package io.cairn.host.testbackend;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.pf4j.Extension;

/**
 * A real, small backend for the host's tests: volumes are files under {@code volumes_dir}
 * ({@code POOL/IMAGE} is {@code volumes_dir/POOL/IMAGE}), snapshots are copies, and every backup is
 * a full copy in {@code backup_dir} (an incremental one records its parent and counts only changed
 * blocks as written). Packaged into a PF4J plugin JAR by the tests, it goes through the same loading,
 * validation and orchestration as the Ceph plugin.
 */
@Extension
public final class DirectoryBackend implements BackendDescriptor {

    static final OptionDefinitions OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("volumes_dir", OptionType.PATH).required()
                    .doc("Directory holding the volumes, as POOL/IMAGE files.").build(),
            OptionDefinition.builder("backup_dir", OptionType.PATH).required()
                    .doc("Directory the backups are stored in.").build(),
            OptionDefinition.builder("block_size", OptionType.SIZE).defaultValue("4KiB").minimum(512).unit("bytes")
                    .doc("Unit in which changed data is counted.").build(),
            OptionDefinition.builder("quota", OptionType.SIZE).unit("bytes")
                    .doc("Most bytes backup_dir may hold; a backup that would exceed it fails.").build(),
            OptionDefinition.builder("copy_rate", OptionType.SIZE).unit("bytes")
                    .doc("Copies no faster than this, so tests can catch a backup in the middle.").build(),
            OptionDefinition.builder("delete_pause", OptionType.DURATION)
                    .doc("A delete waits this long before it removes anything, so tests can catch it.").build(),
            OptionDefinition.builder("fail_transfer_after", OptionType.SIZE).unit("bytes")
                    .doc("A transfer fails after this many bytes and leaves its partial copy, as a backend cut off"
                            + " from storage would.").build(),
            OptionDefinition.builder("fail_deletes", OptionType.BOOLEAN).defaultValue("false")
                    .doc("Every delete fails, as with storage that does not answer.").build(),
            OptionDefinition.builder("access_key", OptionType.STRING).secret()
                    .doc("A secret, to prove the host never shows one.").build());

    @Override
    public String id() {
        return "dir";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Files in a directory, backed up as full copies (test backend)";
    }

    @Override
    public OptionDefinitions options() {
        return OPTIONS;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, RestorePointDependency.INDEPENDENT, false, true);
    }

    @Override
    public BackendSession open(String clusterName, OptionValues options) {
        Path volumes = options.path("volumes_dir");
        if (!Files.isDirectory(volumes)) {
            throw new InvalidConfigurationException("volumes_dir", "directory " + volumes + " does not exist");
        }
        return new DirectorySession(clusterName, new DirectoryLayout(volumes, options.path("backup_dir"),
                options.size("block_size"), options.isSet("quota") ? options.size("quota") : Long.MAX_VALUE,
                options.isSet("copy_rate") ? options.size("copy_rate") : Long.MAX_VALUE,
                options.isSet("delete_pause") ? options.duration("delete_pause") : Duration.ZERO,
                options.isSet("fail_transfer_after") ? options.size("fail_transfer_after") : Long.MAX_VALUE,
                options.bool("fail_deletes")));
    }
}
