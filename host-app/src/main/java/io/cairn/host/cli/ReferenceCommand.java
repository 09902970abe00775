package io.cairn.host.cli;

import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.HostOptions;
import io.cairn.host.plugins.LoadedBackend;
import io.cairn.host.plugins.LoadedBackends;
import io.cairn.host.schedule.ScheduleFileReader;
import picocli.CommandLine.Command;

/**
 * {@code cairn reference}: the configuration reference as Markdown - {@code cairn.yaml}'s keys and each
 * loaded backend's options - generated from their declarations, so the docs never drift from the code.
 */
@Command(mixinStandardHelpOptions = true, name = "reference", description = "Print the configuration reference (cairn.yaml,"
        + " the chain and retention keys of schedule files, and each loaded backend's options) as Markdown, generated from"
        + " their declarations.")
final class ReferenceCommand extends BackendsCommand {

    @Override
    int run(ConfDirectory conf, LoadedBackends backends) {
        StringBuilder text = new StringBuilder("### `" + HostOptions.FILE_NAME + "`\n\n");
        text.append(OptionDocs.markdown(HostOptions.DEFINITIONS));
        text.append("\n### `schedules/<name>.yaml`: `chain`\n\n")
                .append(OptionDocs.markdown(ScheduleFileReader.CHAIN_OPTIONS));
        text.append("\n### `schedules/<name>.yaml`: `retention`\n\n")
                .append(OptionDocs.markdown(ScheduleFileReader.RETENTION_OPTIONS));
        text.append("\n### `schedules/<name>.yaml`: `verify`\n\n")
                .append(OptionDocs.markdown(ScheduleFileReader.VERIFY_OPTIONS));
        for (LoadedBackend backend : backends.all()) {
            text.append("\n### Options of the `").append(backend.backendId()).append("` backend (")
                    .append(backend.descriptor().version()).append(")\n\n")
                    .append(backend.descriptor().description()).append(".\n\n")
                    .append(OptionDocs.markdown(backend.descriptor().options()));
        }
        out().print(text);
        return ErrorReport.OK;
    }
}
