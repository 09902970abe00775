package io.cairn.host.cli;

import io.cairn.api.option.DurationText;
import io.cairn.host.Host;
import io.cairn.host.config.HttpSettings;
import io.cairn.host.http.HttpEndpoint;
import io.cairn.host.http.RetentionPreview;
import io.cairn.host.metrics.CairnMetrics;
import io.cairn.host.metrics.CatalogActivity;
import io.cairn.host.metrics.HealthCheck;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.ScheduleService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.quartz.SchedulerException;
import picocli.CommandLine.Command;

/**
 * {@code cairn serve}: runs the schedules of {@code conf/schedules/} until SIGTERM (or Ctrl-C).
 *
 * <p>Every schedule file and every cluster file a schedule names is checked first; any problem ends the
 * command with exit code 2 before anything fires - except a cluster whose plugin is not loaded, whose
 * schedules are served all the same and fail at each firing (recorded, logged) while the others run. On SIGTERM or SIGINT the service stops cleanly (see
 * {@link ScheduleService#stop()}) and the process exits 0, or 1 when backups had to be abandoned.
 */
@Command(mixinStandardHelpOptions = true, name = "serve", description = {
    "Run the schedules of conf/schedules/ until stopped (SIGTERM or Ctrl-C): clean up after a crash,",
    "then back up, start new chains and prune as each schedule says. Logs to stderr. Serves metrics,",
    "health, a JSON API and a dashboard over HTTP on http_listen (cairn.yaml; default 127.0.0.1:9464)."})
final class ServeCommand extends HostCommand {

    /** How long a health check (GET /healthz, the cairn_up metric) waits for the catalog and the scheduler. */
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(5);

    @Override
    int run(Host host) {
        // Handled from the start, not once serving: a SIGTERM while the scheduler starts (or while crash
        // recovery, which starts with it, already runs) must stop in order too, not end the JVM with 143.
        CountDownLatch stopAsked = new CountDownLatch(1);
        StopSignals.onStop(stopAsked::countDown);
        List<Schedule> schedules = ScheduleFileReader.readAll(host.conf());
        // Every cluster the schedules name is checked before anything runs (exit 2 on a problem); one whose
        // plugin is missing only fails its own schedules' firings.
        host.clustersOf(schedules);
        LogLevels.applyForServe(verbosity());
        // Metrics listen before anything runs; health asks the scheduler once it exists.
        AtomicReference<ScheduleService> running = new AtomicReference<>();
        HealthCheck health = new HealthCheck(host.database()::check, () -> Optional.ofNullable(running.get())
                .map(ScheduleService::problem).orElse(Optional.of("starting")), HEALTH_LIMIT);
        // Restores and verifies are counted from the catalog, from now on, whichever process runs them.
        CatalogActivity activity = new CatalogActivity(host.restoreLog(), host.verifyLog(), Instant.now(),
                host.database().timeout());
        CairnMetrics metrics = new CairnMetrics(host.catalog(), activity, health, host::backends);
        metrics.expect(schedules.stream().map(Schedule::cluster).distinct().toList(),
                schedules.stream().map(Schedule::name).toList());
        host.events().subscribe(metrics);
        ScheduleService service;
        try {
            service = host.serve(schedules);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler on catalog " + host.database().url() + ": "
                    + e.getMessage(), e);
        }
        running.set(service);
        HttpEndpoint http;
        try {
            http = startHttp(host, service, metrics, health);
        } catch (RuntimeException e) {
            service.stop();
            health.close();
            throw e;
        }
        if (http != null) {
            err().println("cairn: http: " + http.url() + " (dashboard /, metrics /metrics, health /healthz, API"
                    + " /api/v1)");
        }
        err().println("cairn: serving " + schedules.size() + " schedule" + (schedules.size() == 1 ? "" : "s")
                + " (catalog " + host.database().url() + "); stop with SIGTERM or Ctrl-C");
        for (Schedule schedule : schedules) {
            err().println("cairn:   " + schedule.name() + ": cron '" + schedule.cron() + "' (" + schedule.timeZone()
                    + ") on cluster " + schedule.cluster() + ", next " + service.nextFiring(schedule.name())
                    .map(Object::toString).orElse("never"));
        }
        service.unavailable().forEach((cluster, why) -> err().println("cairn: cluster " + cluster
                + " cannot be used, its schedules' firings fail until it can (restart serve after fixing it): " + why));
        err().println("cairn: crash recovery runs in the background, volume by volume (see the log)");
        try {
            stopAsked.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err().println("cairn: stopping: no new backups; running ones get "
                + DurationText.format(host.settings().serve().stopTimeout()) + " to finish");
        service.stop();
        // The endpoint answered (503 on /healthz) while running backups finished; now it goes too.
        if (http != null) {
            http.close();
        }
        health.close();
        if (service.abandonedBackups()) {
            err().println("cairn: stopped, abandoning backups still running; the next start cleans them up");
            return ErrorReport.FAILED;
        }
        err().println("cairn: stopped");
        return ErrorReport.OK;
    }

    /** The HTTP endpoint, unless http_listen is empty; null then. */
    private static HttpEndpoint startHttp(Host host, ScheduleService service, CairnMetrics metrics, HealthCheck health) {
        HttpSettings settings = host.settings().http();
        if (settings.listen().isEmpty()) {
            return null;
        }
        RetentionPreview retention = new RetentionPreview(service::schedules, host::cluster, host.pruner());
        return new HttpEndpoint(settings, host.catalog(), host.setCatalog(), host.runLog(), service, retention, metrics, health).start();
    }
}
