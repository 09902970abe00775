package io.cairn.host.config;

import io.cairn.api.option.OptionValues;
import io.cairn.host.plugins.LoadedBackend;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A cluster whose file checked out against its backend's declared options: ready to open a session.
 *
 * @param name    the cluster's name
 * @param file    its file, for messages
 * @param backend the backend its {@code plugin:} names
 * @param options validated values, defaults applied, relative paths resolved against the conf directory
 */
public record ConfiguredCluster(String name, Path file, LoadedBackend backend, OptionValues options) {

    public ConfiguredCluster {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(backend, "backend is null");
        Objects.requireNonNull(options, "options is null");
    }
}
