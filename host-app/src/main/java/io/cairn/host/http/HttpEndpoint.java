package io.cairn.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.CatalogException;
import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.config.HttpSettings;
import io.cairn.host.metrics.CairnMetrics;
import io.cairn.host.metrics.HealthCheck;
import io.cairn.host.schedule.ScheduleService;
import io.cairn.host.view.JsonStyle;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn serve}'s HTTP endpoint, on Javalin (Jetty): Prometheus metrics, health, the JSON API under
 * {@code /api/v1} and the read-only dashboard. Every route is in {@link Route}; the documentation is
 * {@code docs/openapi.yaml}.
 *
 * <p>Reading needs nothing; the two {@code POST} routes - fire a schedule, start a backup - need
 * {@code Authorization: Bearer <http_token>} and answer 401 without it. The token never appears in a
 * response or a log line. Errors are JSON: {@code {"error": "..."}}.
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final String JSON = "application/json";

    private final InetSocketAddress listen;
    private final BearerToken token;
    private final BackupsApi backups;
    private final SchedulesApi schedules;
    private final CairnMetrics metrics;
    private final HealthCheck health;
    private final Dashboard dashboard = new Dashboard();
    private final ObjectMapper json = JsonStyle.mapper();
    private Javalin app;

    /**
     * @param settings  where to listen and the token; {@code settings.listen()} must be present
     * @param catalog   the backups
     * @param sets      the backup sets, to name each member's set
     * @param runLog    the firings
     * @param service   the running schedules: next fire times, firing on request, one-off backups
     * @param retention what a schedule's retention would do to a volume now
     * @param metrics   what {@code /metrics} shows
     * @param health    what {@code /healthz} checks
     */
    public HttpEndpoint(HttpSettings settings, BackupCatalog catalog, BackupSetCatalog sets, ScheduleRunLog runLog,
            ScheduleService service, RetentionPreview retention, CairnMetrics metrics, HealthCheck health) {
        this.listen = settings.listen().orElseThrow(() -> new IllegalArgumentException("http_listen is off"));
        this.token = new BearerToken(settings.token());
        this.backups = new BackupsApi(catalog, sets, service.oneOffBackups(), retention);
        this.schedules = new SchedulesApi(service, runLog);
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        this.health = Objects.requireNonNull(health, "health is null");
    }

    /**
     * Listens.
     *
     * @throws IllegalStateException naming the address when it cannot (in use, not an address of this host)
     */
    public synchronized HttpEndpoint start() {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2, 60_000);
        threads.setName("cairn-http");
        threads.setDaemon(true);
        Javalin created = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = listen.getAddress().getHostAddress();
            config.jetty.port = listen.getPort();
            config.jetty.threadPool = threads;
            config.jsonMapper(new JavalinJackson(json, false));
            for (Route route : Route.values()) {
                Handler handler = guarded(route, handler(route));
                config.routes.addHttpHandler(route.method() == Route.Method.GET ? HandlerType.GET : HandlerType.POST,
                        route.path(), handler);
            }
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(CatalogException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("http: {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            });
        });
        try {
            created.start();
        } catch (RuntimeException e) {
            created.stop();
            throw new IllegalStateException("cannot listen on " + HttpSettings.text(listen) + " (http_listen in"
                    + " cairn.yaml): " + rootMessage(e), e);
        }
        app = created;
        return this;
    }

    /** The address it listens on, with the port it got when {@code http_listen} asked for port 0. */
    public synchronized InetSocketAddress address() {
        return new InetSocketAddress(listen.getAddress(), app == null ? listen.getPort() : app.port());
    }

    /** {@code http://HOST:PORT} of the running endpoint. */
    public String url() {
        return "http://" + HttpSettings.text(address());
    }

    private Handler handler(Route route) {
        return switch (route) {
            case DASHBOARD -> ctx -> asset(ctx, "index.html");
            case DASHBOARD_ASSET -> ctx -> asset(ctx, ctx.pathParam("file"));
            case METRICS -> this::metrics;
            case HEALTH -> this::health;
            case BACKUPS -> ctx -> ctx.json(backups.backups(query(ctx, "cluster"), query(ctx, "volume"),
                    query(ctx, "status"), Boolean.parseBoolean(query(ctx, "all").orElse("false")),
                    number(ctx, "offset", 0, Integer.MAX_VALUE, 0),
                    number(ctx, "limit", 1, BackupsApi.MAX_LIMIT, BackupsApi.DEFAULT_LIMIT)));
            case BACKUP -> ctx -> ctx.json(backups.backup(ctx.pathParam("id")));
            case START_BACKUP -> ctx -> {
                BackupsApi.StartedBackup started = backups.start(body(ctx, BackupsApi.StartBackupRequest.class));
                ctx.status(202).header("Location", started.url()).json(started);
            };
            case VOLUMES -> ctx -> ctx.json(backups.volumes());
            case SCHEDULES -> ctx -> ctx.json(schedules.schedules());
            case RUN_SCHEDULE -> ctx -> ctx.status(202).json(schedules.run(ctx.pathParam("name")));
            case FIRINGS -> ctx -> ctx.json(schedules.firings(query(ctx, "schedule"),
                    number(ctx, "limit", 1, SchedulesApi.MAX_FIRINGS, SchedulesApi.DEFAULT_FIRINGS)));
        };
    }

    /** Refuses a request without the token where the route needs one; marks API answers as not to be cached. */
    private Handler guarded(Route route, Handler handler) {
        return ctx -> {
            if (route.documented()) {
                ctx.header("Cache-Control", "no-store");
            }
            if (route.needsToken() && !token.admits(ctx.header("Authorization"))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"cairn\"");
                error(ctx, 401, token.configured() ? "this request needs 'Authorization: Bearer <http_token>'"
                        + " with the http_token of cairn.yaml" : "this host has no http_token in cairn.yaml, so it"
                        + " refuses every request that changes something");
                return;
            }
            handler.handle(ctx);
        };
    }

    private void metrics(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        ctx.contentType(metrics.contentType()).result(out.toByteArray());
    }

    private void health(Context ctx) {
        HealthCheck.Report report = health.check();
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("catalog", report.problem("catalog").orElse("ok"));
        checks.put("scheduler", report.problem("scheduler").orElse("ok"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.healthy() ? "ok" : "unhealthy");
        if (!report.healthy()) {
            StringBuilder reason = new StringBuilder();
            report.problems().forEach((part, problem) -> reason.append(reason.length() == 0 ? "" : "; ")
                    .append(part).append(": ").append(problem));
            body.put("reason", reason.toString());
        }
        body.put("checks", checks);
        ctx.status(report.healthy() ? 200 : 503).json(body);
    }

    private void asset(Context ctx, String name) {
        Dashboard.Asset asset = dashboard.asset(name).orElseThrow(() -> ApiException.notFound("no file " + name));
        // The page loads only its own files and talks only to this host.
        ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .contentType(asset.contentType()).result(asset.content());
    }

    private <T> T body(Context ctx, Class<T> type) {
        try {
            return json.readValue(ctx.body(), type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not the JSON this request takes: " + e.getOriginalMessage());
        }
    }

    private static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int number(Context ctx, String name, int minimum, int maximum, int absent) {
        Optional<String> text = query(ctx, name);
        if (text.isEmpty()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= minimum && value <= maximum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be a whole number from " + minimum + " to " + maximum + ", not '"
                + text.get() + "'");
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status).contentType(JSON);
        try {
            ctx.result(json.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops listening; requests in progress are cut. */
    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
