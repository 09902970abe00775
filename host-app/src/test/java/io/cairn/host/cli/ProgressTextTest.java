package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressTextTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1L << 20;

    @ParameterizedTest(name = "{0} of {1} in {2} ns")
    @CsvSource(delimiter = '|', value = {
        "0          | 1073741824 | 0          | 0 B of 1.0 GiB (0%), - B/s",
        "536870912  | 1073741824 | 4000000000 | 512.0 MiB of 1.0 GiB (50%), 128.0 MiB/s",
        "1073741824 | 1073741824 | 8000000000 | 1.0 GiB of 1.0 GiB (100%), 128.0 MiB/s",
        "1500       | 0          | 1000000000 | 1.5 KiB, 1.5 KiB/s",
        "2048       | 1024       | 1000000000 | 2.0 KiB of 1.0 KiB (100%), 2.0 KiB/s",
    })
    void summary(long done, long total, long nanos, String expected) {
        assertEquals(expected, ProgressText.summary(done, total, nanos));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({
        "0, 100, [------------------------------]",
        "50, 100, [###############---------------]",
        "100, 100, [##############################]",
        "7, 0, [------------------------------]",
        "200, 100, [##############################]",
    })
    void bar(long done, long total, String expected) {
        assertEquals(expected, ProgressText.bar(done, total));
    }

    @Test
    void logLinesComeAtIntervalsAndOnceAtTheEnd() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(text, true, StandardCharsets.UTF_8);
        try (ProgressLog log = new ProgressLog(err, "backup of volumes/db1", Long.MAX_VALUE)) {
            log.onProgress(MIB, 4 * MIB);
            log.onProgress(4 * MIB, 4 * MIB);
        }
        String[] lines = text.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length);
        assertTrue(lines[0].startsWith("backup of volumes/db1: 4.0 MiB of 4.0 MiB (100%), "), lines[0]);
        assertTrue(lines[0].matches(".* in \\d+\\.\\d s"), lines[0]);
    }

    @Test
    void aBarIsRedrawnInPlaceAndEndsWithANewline() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(text, true, StandardCharsets.UTF_8);
        try (TerminalProgressBar bar = new TerminalProgressBar(err, "restore")) {
            bar.onProgress(SECOND, 2 * SECOND);
            bar.onProgress(2 * SECOND, 2 * SECOND);
        }
        String shown = text.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\rrestore [###############---------------] "), shown);
        assertTrue(shown.endsWith("\n"), shown);
        assertEquals(1, shown.chars().filter(c -> c == '\n').count());
    }

    @Test
    void nothingIsShownForAnOperationThatReportedNothing() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(text, true, StandardCharsets.UTF_8);
        new TerminalProgressBar(err, "x").close();
        new ProgressLog(err, "x", SECOND).close();
        assertEquals("", text.toString(StandardCharsets.UTF_8));
    }
}
