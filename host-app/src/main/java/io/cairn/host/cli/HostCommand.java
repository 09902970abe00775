package io.cairn.host.cli;

import io.cairn.host.Host;

/** A subcommand that works on the whole host: plugins, catalog and backends. */
abstract class HostCommand extends CliCommand {

    @Override
    public final Integer call() {
        try (Host host = Host.open(confDir())) {
            host.settings().catalog().notice().ifPresent(notice -> err().println("cairn: note: " + notice));
            return run(host);
        }
    }

    /** @return the exit code */
    abstract int run(Host host);
}
