package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** {@link LogLine} lays events out exactly as the pattern it replaces did. */
class LogLineTest {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

    private final LoggerContext context = new LoggerContext();

    @Test
    void linesMatchThePattern() {
        LogLine line = started(new LogLine());
        PatternLayout pattern = new PatternLayout();
        pattern.setPattern(PATTERN);
        started(pattern);
        IllegalStateException thrown = new IllegalStateException("outer", new RuntimeException("inner"));
        LoggingEvent[] events = {
            event("io.cairn.host.backup.BackupOrchestrator", Level.INFO, "backup {} of {} is available",
                    null, "b1", "volumes/v1"),
            event("io.cairn.host.backup.BackupOrchestrator", Level.WARN, "cannot remove {}", null, "s1"),
            event("plain", Level.ERROR, "failed", thrown),
            event("io.cairn.x.Debugging", Level.DEBUG, "a message\nover two lines", null),
        };
        for (LoggingEvent event : events) {
            assertEquals(pattern.doLayout(event), line.doLayout(event), event.getFormattedMessage());
        }
    }

    @Test
    void timeIsPaddedToFixedWidth() {
        LoggingEvent event = event("a.B", Level.INFO, "m", null);
        event.setTimeStamp(LocalDate.of(2026, 1, 2).atTime(3, 4, 5, 6_000_000)
                .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        assertEquals("03:04:05.006 INFO  B: m" + System.lineSeparator(), started(new LogLine()).doLayout(event));
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... arguments) {
        Logger target = context.getLogger(logger);
        return new LoggingEvent(LogLineTest.class.getName(), target, level, message, thrown, arguments);
    }

    private <T extends LayoutBase<?>> T started(T layout) {
        layout.setContext(context);
        layout.start();
        return layout;
    }
}
