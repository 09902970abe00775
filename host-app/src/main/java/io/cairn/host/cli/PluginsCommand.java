package io.cairn.host.cli;

import io.cairn.api.BackendCapability;
import io.cairn.api.Capabilities;
import io.cairn.api.option.OptionDefinition;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationProblem;
import io.cairn.host.plugins.LoadedBackend;
import io.cairn.host.plugins.LoadedBackends;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn plugins}: the loaded backends, their versions and declared options, and refused JARs. */
@Command(mixinStandardHelpOptions = true, name = "plugins", description = "List loaded backend plugins, their versions and options, and refused JARs.")
final class PluginsCommand extends BackendsCommand {

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    int run(ConfDirectory conf, LoadedBackends backends) {
        if (json) {
            out().println(JsonOutput.write(new PluginsView(backends.pluginsDir().toString(),
                    backends.all().stream().map(PluginView::of).toList(),
                    backends.refusals().stream().map(r -> new RefusalView(r.file().toString(), r.reason())).toList())));
        } else {
            out().print(text(backends));
        }
        for (ConfigurationProblem refusal : backends.refusals()) {
            err().println("cairn: skipped " + refusal);
        }
        return ErrorReport.OK;
    }

    static String text(LoadedBackends backends) {
        StringBuilder text = new StringBuilder();
        if (backends.all().isEmpty()) {
            text.append("no plugins loaded from ").append(backends.pluginsDir()).append('\n');
        }
        for (LoadedBackend backend : backends.all()) {
            text.append(backend.backendId()).append(' ').append(backend.descriptor().version())
                    .append(" - ").append(backend.descriptor().description()).append('\n')
                    .append("  plugin ").append(backend.pluginId()).append(' ').append(backend.pluginVersion())
                    .append(" from ").append(backend.jar()).append(", requires plugin API ").append(backend.requires())
                    .append('\n')
                    .append("  capabilities: ").append(capabilityWords(backend.descriptor().capabilitySet())).append('\n')
                    .append("  volumes: ").append(backend.descriptor().volumeNaming().form()).append('\n');
            TextTable options = new TextTable("  OPTION", "TYPE", "DEFAULT", "DESCRIPTION");
            for (OptionDefinition option : backend.descriptor().options().all()) {
                options.row("  " + option.name(), OptionDocs.type(option), OptionDocs.defaultText(option), option.documentation());
            }
            text.append(options.render());
        }
        return text.toString();
    }

    /** The capability set in words, in the enum's order: {@code incremental, independent restore points}. */
    static String capabilityWords(Set<BackendCapability> capabilities) {
        if (capabilities.isEmpty()) {
            return "none (full backups; each needs its parent)";
        }
        return Arrays.stream(BackendCapability.values()).filter(capabilities::contains)
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    /** {@code cairn plugins --json}. */
    record PluginsView(String pluginsDir, List<PluginView> plugins, List<RefusalView> refused) {
    }

    /** One loaded backend. */
    record PluginView(String id, String version, String description, String pluginId, String pluginVersion,
            String jar, String requires, Capabilities capabilities, Set<BackendCapability> capabilitySet,
            String volumeNames, List<OptionDocs.OptionView> options) {

        static PluginView of(LoadedBackend backend) {
            return new PluginView(backend.backendId(), backend.descriptor().version(), backend.descriptor().description(),
                    backend.pluginId(), backend.pluginVersion(), backend.jar().toString(), backend.requires(),
                    backend.descriptor().capabilities(), new TreeSet<>(backend.descriptor().capabilitySet()),
                    backend.descriptor().volumeNaming().form(),
                    backend.descriptor().options().all().stream().map(OptionDocs.OptionView::of).toList());
        }
    }

    /** One refused JAR. */
    record RefusalView(String file, String reason) {
    }
}
