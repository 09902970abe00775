package io.cairn.host.http;

/**
 * Every route of {@code cairn serve}'s HTTP endpoint: one table, so that {@link HttpEndpoint} must give
 * each a handler (its switch over them is exhaustive) and a test can hold {@code docs/openapi.yaml}
 * against it.
 */
enum Route {
    DASHBOARD(Method.GET, "/", false, false),
    DASHBOARD_ASSET(Method.GET, "/assets/{file}", false, false),
    METRICS(Method.GET, "/metrics", false, true),
    HEALTH(Method.GET, "/healthz", false, true),
    BACKUPS(Method.GET, "/api/v1/backups", false, true),
    BACKUP(Method.GET, "/api/v1/backups/{id}", false, true),
    START_BACKUP(Method.POST, "/api/v1/backups", true, true),
    VOLUMES(Method.GET, "/api/v1/volumes", false, true),
    SCHEDULES(Method.GET, "/api/v1/schedules", false, true),
    RUN_SCHEDULE(Method.POST, "/api/v1/schedules/{name}/run", true, true),
    FIRINGS(Method.GET, "/api/v1/firings", false, true);

    /** The HTTP methods in use. */
    enum Method {
        GET, POST
    }

    private final Method method;
    private final String path;
    private final boolean needsToken;
    private final boolean documented;

    Route(Method method, String path, boolean needsToken, boolean documented) {
        this.method = method;
        this.path = path;
        this.needsToken = needsToken;
        this.documented = documented;
    }

    Method method() {
        return method;
    }

    /** The path, with parameters as {@code {name}} (as Javalin and OpenAPI both write them). */
    String path() {
        return path;
    }

    /** Whether a request must carry {@code Authorization: Bearer <http_token>}. */
    boolean needsToken() {
        return needsToken;
    }

    /** Whether docs/openapi.yaml describes it (the dashboard's own files are not API). */
    boolean documented() {
        return documented;
    }
}
