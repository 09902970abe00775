package io.cairn.host.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong in the configuration: which file, which key, and why.
 *
 * @param file   the file at fault (or the conf directory itself when it is missing)
 * @param key    the key, dotted from the top of the file ({@code options.pool}); empty when the
 *               problem is the file as a whole (unreadable, not YAML)
 * @param reason what is wrong; never contains the value of a secret
 */
public record ConfigurationProblem(Path file, String key, String reason) {

    public ConfigurationProblem {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(reason, "reason is null");
    }

    /** {@code conf/clusters/lab.yaml: options.pool: required, but not set}. */
    @Override
    public String toString() {
        return key.isEmpty() ? file + ": " + reason : file + ": " + key + ": " + reason;
    }
}
