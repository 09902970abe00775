package io.cairn.host.plugins;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A JAR in the plugins directory that was not loaded, and why. The host keeps running without it.
 *
 * @param jar    the file
 * @param reason what is wrong with it, for the operator
 */
public record PluginRefusal(Path jar, String reason) {

    public PluginRefusal {
        Objects.requireNonNull(jar, "jar is null");
        Objects.requireNonNull(reason, "reason is null");
    }

    @Override
    public String toString() {
        return jar + ": " + reason;
    }
}
