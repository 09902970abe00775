package io.cairn.host.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Whether {@code cairn serve} works: its catalog answers and its scheduler runs. Each probe gets a bounded
 * time, so a catalog database that hangs makes the check fail, not hang: {@code GET /healthz} and the
 * {@code cairn_catalog_up} metric answer within {@link #limit()} whatever happens.
 */
public final class HealthCheck implements AutoCloseable {

    private final Map<String, Supplier<Optional<String>>> probes = new LinkedHashMap<>();
    private final Duration limit;
    private final ExecutorService runner = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "cairn-health");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param catalog   throws when the catalog does not answer ({@code CatalogDatabase::check})
     * @param scheduler what is wrong with the scheduler, empty when it works
     * @param limit     how long a probe may take before it counts as failed
     */
    public HealthCheck(Runnable catalog, Supplier<Optional<String>> scheduler, Duration limit) {
        Objects.requireNonNull(catalog, "catalog is null");
        probes.put("catalog", () -> {
            catalog.run();
            return Optional.empty();
        });
        probes.put("scheduler", Objects.requireNonNull(scheduler, "scheduler is null"));
        this.limit = limit;
    }

    public Duration limit() {
        return limit;
    }

    /** Runs every probe (in parallel, each at most {@link #limit()}). */
    public Report check() {
        Map<String, Future<Optional<String>>> running = new LinkedHashMap<>();
        probes.forEach((name, probe) -> running.put(name, runner.submit(probe::get)));
        Map<String, String> problems = new LinkedHashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        running.forEach((name, future) -> {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .ifPresent(problem -> problems.put(name, problem));
            } catch (TimeoutException e) {
                future.cancel(true);
                problems.put(name, "did not answer within " + limit.toSeconds() + " s");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                problems.put(name, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.put(name, "interrupted");
            }
        });
        return new Report(problems);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }

    /**
     * The result of a check.
     *
     * @param problems what is wrong, by part ({@code catalog}, {@code scheduler}); empty when healthy
     */
    public record Report(Map<String, String> problems) {

        public Report {
            problems = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        }

        public boolean healthy() {
            return problems.isEmpty();
        }

        /** The problem of one part, if it has one. */
        public Optional<String> problem(String part) {
            return Optional.ofNullable(problems.get(part));
        }
    }
}
