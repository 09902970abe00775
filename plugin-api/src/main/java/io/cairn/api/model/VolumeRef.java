package io.cairn.api.model;

import java.nio.file.Path;

/**
 * Names a volume as the operator typed it: a backend-specific locator such as {@code volumes/db1}
 * for an RBD image, or {@code file:/dev/sdb} / {@code file:/srv/disk.img} for a file or block device.
 *
 * <p>The {@code file:} form is common to all backends that declare
 * {@link io.cairn.api.Capabilities#fileSources()}; everything else is interpreted by the backend.
 */
public record VolumeRef(String locator) {

    private static final String FILE_PREFIX = "file:";

    public VolumeRef {
        if (locator == null) {
            throw new NullPointerException("locator is null");
        }
        if (locator.isBlank()) {
            throw new IllegalArgumentException("volume locator is empty");
        }
    }

    /** Whether this names a file or block device rather than a backend volume. */
    public boolean isFile() {
        return locator.startsWith(FILE_PREFIX);
    }

    /** The path of a {@code file:} locator. */
    public Path filePath() {
        if (!isFile()) {
            throw new IllegalStateException(locator + " is not a file: locator");
        }
        String path = locator.substring(FILE_PREFIX.length());
        if (path.isEmpty()) {
            throw new IllegalArgumentException("file: locator has no path");
        }
        return Path.of(path);
    }

    /** A locator for a file or block device. */
    public static VolumeRef ofFile(Path path) {
        return new VolumeRef(FILE_PREFIX + path.toAbsolutePath());
    }

    @Override
    public String toString() {
        return locator;
    }
}
