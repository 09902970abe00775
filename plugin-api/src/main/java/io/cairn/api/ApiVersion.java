package io.cairn.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this plugin API, as built.
 *
 * <p>Semantic versioning: the host accepts a plugin built against the same major version and refuses
 * the others. A plugin states the versions it needs in its PF4J {@code Plugin-Requires} manifest entry
 * (for example {@code >=1.0.0 & <2.0.0}).
 */
public final class ApiVersion {

    /** The full version, for example {@code 1.0.0}. */
    public static final String CURRENT = load();

    private ApiVersion() {
    }

    /** The major component of {@link #CURRENT}. */
    public static int major() {
        return Integer.parseInt(CURRENT.substring(0, CURRENT.indexOf('.')));
    }

    private static String load() {
        // Filtered by Maven from the parent pom's cairn.api.version, so the number lives in one place.
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("api-version.properties is missing from plugin-api");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
