package io.cairn.host.plugins;

import io.cairn.api.BackendDescriptor;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A backend that loaded and passed the host's checks.
 *
 * @param pluginId      the PF4J plugin id from the JAR's manifest
 * @param pluginVersion the plugin's version from its manifest
 * @param requires      the plugin API versions it declares it works with ({@code Plugin-Requires})
 * @param jar           the file it came from
 * @param descriptor    the backend itself; {@link BackendDescriptor#id()} is what cluster files name
 */
public record LoadedBackend(String pluginId, String pluginVersion, String requires, Path jar, BackendDescriptor descriptor) {

    public LoadedBackend {
        Objects.requireNonNull(pluginId, "pluginId is null");
        Objects.requireNonNull(pluginVersion, "pluginVersion is null");
        Objects.requireNonNull(requires, "requires is null");
        Objects.requireNonNull(jar, "jar is null");
        Objects.requireNonNull(descriptor, "descriptor is null");
    }

    /** The backend id cluster files use in {@code plugin:}. */
    public String backendId() {
        return descriptor.id();
    }
}
