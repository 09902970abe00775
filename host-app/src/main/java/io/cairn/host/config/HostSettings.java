package io.cairn.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The host's own settings, from {@code cairn.yaml}, every path absolute.
 *
 * @param confDir     the configuration directory ({@code --conf})
 * @param pluginsDir  where backend plugin JARs are loaded from
 * @param dataDir     where the host keeps its own state (the embedded catalog database)
 * @param catalog     the catalog database
 * @param volumeLease how long a volume lock lasts without renewal; a crashed host's lock expires
 *                    after this long
 * @param serve       how {@code cairn serve} runs schedules
 * @param http        {@code cairn serve}'s HTTP endpoint
 */
public record HostSettings(Path confDir, Path pluginsDir, Path dataDir, CatalogSettings catalog, Duration volumeLease,
        ServeSettings serve, HttpSettings http) {

    public HostSettings {
        Objects.requireNonNull(confDir, "confDir is null");
        Objects.requireNonNull(pluginsDir, "pluginsDir is null");
        Objects.requireNonNull(dataDir, "dataDir is null");
        Objects.requireNonNull(catalog, "catalog is null");
        Objects.requireNonNull(volumeLease, "volumeLease is null");
        Objects.requireNonNull(serve, "serve is null");
        Objects.requireNonNull(http, "http is null");
    }
}
