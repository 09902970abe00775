package io.cairn.ceph.testing;

import io.cairn.devtools.process.Command;
import java.nio.file.Path;
import java.util.List;

/**
 * A block device backed by a file ({@code losetup}), so block-device sources and targets are tested on
 * a real block device. Needs root, as the test machines run.
 */
public final class LoopDevice implements AutoCloseable {

    private final Path device;

    private LoopDevice(Path device) {
        this.device = device;
    }

    /** Attaches {@code backingFile} to the first free loop device; fails loudly if that is impossible. */
    public static LoopDevice attach(Path backingFile) {
        Command.Result result = Command.run(List.of("losetup", "--find", "--show", backingFile.toString()), 60);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("cannot attach a loop device for the block-device tests (losetup exit "
                    + result.exitCode() + ", run as root?): " + result.stderr());
        }
        return new LoopDevice(Path.of(result.stdout().strip()));
    }

    public Path path() {
        return device;
    }

    @Override
    public void close() {
        Command.run(List.of("losetup", "--detach", device.toString()), 60);
    }
}
