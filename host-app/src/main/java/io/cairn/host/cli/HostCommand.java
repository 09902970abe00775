package io.cairn.host.cli;

import io.cairn.host.Host;
import java.util.List;

/** A subcommand that works on the whole host: plugins, catalog and backends. */
abstract class HostCommand extends CliCommand {

    @Override
    public final Integer call() {
        try (Host host = Host.open(confDir(), clustersToOpenAhead())) {
            host.settings().catalog().notice().ifPresent(notice -> err().println("cairn: note: " + notice));
            return run(host);
        }
    }

    /** @return the exit code */
    abstract int run(Host host);

    /**
     * The clusters the command will connect to whatever happens next, connected to while the host opens its
     * catalog (see {@link Host#open(java.nio.file.Path, List)}); none by default.
     */
    List<String> clustersToOpenAhead() {
        return List.of();
    }
}
