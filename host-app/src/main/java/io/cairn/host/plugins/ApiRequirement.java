package io.cairn.host.plugins;

import io.cairn.api.ApiVersion;
import java.util.Optional;
import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

/**
 * Checks a plugin's {@code Plugin-Requires} against the plugin API this host provides, with the same
 * version manager PF4J uses, and explains a refusal in terms an operator or plugin author can act on.
 */
final class ApiRequirement {

    private static final VersionManager VERSIONS = new DefaultVersionManager();

    private ApiRequirement() {
    }

    /**
     * @param requires the manifest's {@code Plugin-Requires}, or null when absent
     * @param provided the plugin API version the host provides
     * @return why the plugin is refused, or empty when it may load
     */
    static Optional<String> refusal(String requires, String provided) {
        String example = ">=" + provided + " & <" + (major(provided) + 1) + ".0.0";
        if (requires == null || requires.isBlank() || requires.trim().equals("*")) {
            // PF4J would accept any version here; a plugin that does not say which API it was built
            // for may fail later with a linkage error in the middle of a backup, so refuse it now.
            return Optional.of("declares no Plugin-Requires in its manifest; a Cairn plugin must name the plugin"
                    + " API versions it was built for. This host provides plugin API " + provided
                    + ", so for example: Plugin-Requires: " + example);
        }
        boolean meets;
        try {
            meets = VERSIONS.checkVersionConstraint(provided, requires.trim());
        } catch (RuntimeException e) {
            return Optional.of("its Plugin-Requires '" + requires + "' is not a version range (" + e.getMessage()
                    + "); write for example: Plugin-Requires: " + example);
        }
        if (meets) {
            return Optional.empty();
        }
        return Optional.of("was built for plugin API '" + requires + "', but this host provides plugin API "
                + provided + ". Versions that meet: plugins whose Plugin-Requires admits " + provided
                + " (built against plugin API " + major(provided) + ".x, e.g. Plugin-Requires: " + example
                + "); use a plugin release built for this host, or a host whose plugin API satisfies '"
                + requires + "'");
    }

    /** {@link #refusal(String, String)} against {@link ApiVersion#CURRENT}. */
    static Optional<String> refusal(String requires) {
        return refusal(requires, ApiVersion.CURRENT);
    }

    private static int major(String version) {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }
}
