package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The record of schedule firings, on each database the catalog can live in. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class ScheduleRunLogTest {

    private static final Instant DUE = Instant.parse("2025-06-01T02:30:00Z");

    @Parameter
    CatalogDialect kind;

    @TempDir
    Path data;

    private CatalogDatabase database;
    private ScheduleRunLog log;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(TestCatalogs.fresh(kind, data));
        log = new ScheduleRunLog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ScheduleRun running(String id, String schedule, Instant due) {
        return new ScheduleRun(id, schedule, "vm/100", Optional.of(due), due.plusMillis(120), Optional.empty(),
                ScheduleRun.Status.RUNNING, "running (due " + due + ")");
    }

    @Test
    void aFiringIsRecordedWhenItStartsAndCompletedWhenItEnds() {
        ScheduleRun started = running("run-1", "nightly", DUE);
        log.save(started);
        assertEquals(Optional.of(started), log.last("nightly"));

        ScheduleRun finished = new ScheduleRun("run-1", "nightly", "vm/100", Optional.of(DUE), started.firedAt(),
                Optional.of(DUE.plusSeconds(95).plusNanos(1_000)), ScheduleRun.Status.PARTIAL, "2 of 3 volumes backed up");
        log.save(finished);
        assertEquals(Optional.of(finished), log.last("nightly"));
    }

    @Test
    void theLastFiringIsTheNewestOfItsSchedule() {
        log.save(running("a", "nightly", DUE));
        log.save(running("b", "nightly", DUE.plusSeconds(86_400)));
        log.save(running("c", "hourly", DUE.plusSeconds(2 * 86_400)));
        assertEquals("b", log.last("nightly").orElseThrow().id());
        assertEquals("c", log.last("hourly").orElseThrow().id());
        assertEquals(Optional.empty(), log.last("weekly"));
    }

    @Test
    void aFiringIsClaimedByOneHostOnly() {
        ScheduleRun first = running("host-b-run", "nightly", DUE);
        assertEquals(Optional.empty(), log.claim(first));
        ScheduleRun second = new ScheduleRun("host-c-run", "nightly", "other/200", Optional.of(DUE), DUE.plusMillis(300),
                Optional.empty(), ScheduleRun.Status.RUNNING, "running");
        assertEquals(Optional.of(first), log.claim(second), "the same due time, claimed again");
        assertEquals(Optional.empty(), log.claim(running("next", "nightly", DUE.plusSeconds(86_400))));
        assertEquals(Optional.empty(), log.claim(running("other-schedule", "hourly", DUE)));
    }

    @Test
    void aFiringLeftRunningByAHostThatDiedIsInterruptedByTheNext() {
        ScheduleRun dead = running("dead", "nightly", DUE);
        log.claim(dead);
        log.claim(running("other", "hourly", DUE));
        ScheduleRun next = running("next", "nightly", DUE.plusSeconds(60));
        log.claim(next);
        assertEquals(1, log.interruptEarlier(next, DUE.plusSeconds(61)));
        ScheduleRun closed = log.all().stream().filter(r -> r.id().equals("dead")).findFirst().orElseThrow();
        assertEquals(ScheduleRun.Status.INTERRUPTED, closed.status());
        assertEquals(Optional.of(DUE.plusSeconds(61)), closed.finishedAt());
        assertEquals(ScheduleRun.Status.RUNNING, log.last("hourly").orElseThrow().status(), "another schedule's");
        assertEquals(ScheduleRun.Status.RUNNING, log.last("nightly").orElseThrow().status(), "the new one");
        assertEquals(0, log.interruptEarlier(next, DUE.plusSeconds(62)));
    }

    @Test
    void aLongSummaryIsShortenedNotRefused() {
        ScheduleRun run = new ScheduleRun("long", "nightly", "vm/100", Optional.of(DUE), DUE, Optional.of(DUE),
                ScheduleRun.Status.FAILED, "x".repeat(5000));
        log.save(run);
        String summary = log.last("nightly").orElseThrow().summary();
        assertEquals(4000, summary.length());
        assertEquals("...", summary.substring(3997));
    }
}
