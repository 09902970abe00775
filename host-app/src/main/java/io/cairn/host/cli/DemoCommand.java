package io.cairn.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cairn demo}: placeholder while the demo is written. */
@Command(name = "demo", description = "Run the demo.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
