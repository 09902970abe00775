package io.cairn.host.cli;

import io.cairn.host.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cairn demo}: a full and an incremental backup of a real RBD image on a throwaway Ceph cluster,
 * both restored and checked by checksum; then everything is torn down. Needs no configuration.
 */
@Command(mixinStandardHelpOptions = true, name = "demo", description = {
    "Show a real backup and restore: on a throwaway Ceph cluster, back an RBD image up (full, then",
    "incremental), restore both, compare checksums with the source snapshots; then run a schedule",
    "every 5 s for a minute with retention and show the chain; tear everything down."})
final class DemoCommand implements Callable<Integer> {

    /** Set by the ./cairn launcher: the checkout holding scripts/ and plugins/. */
    static final String ROOT_PROPERTY = "cairn.root";

    @ParentCommand
    private CairnCli cli;

    @Override
    public Integer call() {
        CliEnvironment environment = cli.environment();
        Path root = projectRoot();
        Demo demo = new Demo(root, environment.out(), environment.err(),
                label -> ProgressDisplay.on(environment.err(), label, environment.terminal()));
        return demo.run() ? ErrorReport.OK : ErrorReport.FAILED;
    }

    private static Path projectRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        Path root = (property != null ? Path.of(property) : Path.of("")).toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("scripts/ceph-dev-cluster"))) {
            throw new UsageException("cannot find scripts/ceph-dev-cluster under " + root
                    + "; run the demo from a Cairn checkout as ./cairn demo");
        }
        return root;
    }
}
