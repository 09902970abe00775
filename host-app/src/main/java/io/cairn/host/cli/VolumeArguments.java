package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import java.nio.file.Path;

/**
 * Turns a volume argument into a {@link VolumeRef}: a volume name passes through to the backend as it is
 * (its form is the backend's), and a {@code file:} path is made absolute against the working directory,
 * because the catalog outlives the directory the command ran in.
 */
final class VolumeArguments {

    private VolumeArguments() {
    }

    static VolumeRef parse(String argument) {
        String text = argument.trim();
        if (text.isEmpty()) {
            throw new UsageException("the volume is empty; write VOLUME (as the backend names it) or file:/PATH");
        }
        VolumeRef volume = new VolumeRef(text);
        if (volume.isFile()) {
            Path path;
            try {
                path = volume.filePath();
            } catch (IllegalArgumentException e) {
                throw new UsageException("'" + argument + "' names no file; write file:/PATH");
            }
            return VolumeRef.ofFile(path.toAbsolutePath().normalize());
        }
        return volume;
    }
}
