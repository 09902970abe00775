package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VolumeArgumentsTest {

    @Test
    void poolAndImagePassThrough() {
        assertEquals("volumes/db1", VolumeArguments.parse(" volumes/db1 ").locator());
    }

    @Test
    void relativeFilePathsBecomeAbsolute() {
        assertEquals("file:" + Path.of("disk.img").toAbsolutePath(), VolumeArguments.parse("file:disk.img").locator());
        assertEquals("file:/dev/sdb", VolumeArguments.parse("file:/dev/sdb").locator());
        assertEquals("file:/srv/a.img", VolumeArguments.parse("file:/srv/x/../a.img").locator());
    }

    @Test
    void emptyArgumentsAreUsageErrors() {
        assertThrows(UsageException.class, () -> VolumeArguments.parse(" "));
        assertThrows(UsageException.class, () -> VolumeArguments.parse("file:"));
    }
}
