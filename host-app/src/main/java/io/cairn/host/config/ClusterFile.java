package io.cairn.host.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code conf/clusters/<name>.yaml}, read but not yet checked against its plugin's options.
 *
 * @param name    the cluster's name: the file name without {@code .yaml}
 * @param file    the file
 * @param plugin  the backend id from {@code plugin:}
 * @param options the {@code options:} mapping as YAML typed it
 */
public record ClusterFile(String name, Path file, String plugin, Map<String, Object> options) {

    public ClusterFile {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(plugin, "plugin is null");
        // Values may be null (a key with no value), which Map.copyOf refuses.
        options = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(options, "options is null")));
    }
}
