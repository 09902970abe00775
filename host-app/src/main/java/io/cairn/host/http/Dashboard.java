package io.cairn.host.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files - one HTML page, its stylesheet and script - read once from the class path
 * ({@code io/cairn/host/http/dashboard/}). No build step: what is in the JAR is what the browser gets.
 */
final class Dashboard {

    private static final String ROOT = "dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files;

    Dashboard() {
        this.files = Map.of(
                "index.html", read("index.html"),
                "dashboard.css", read("dashboard.css"),
                "dashboard.js", read("dashboard.js"));
    }

    /** A file of the dashboard by name, with its content type; empty for any other name. */
    Optional<Asset> asset(String name) {
        byte[] content = files.get(name);
        return content == null ? Optional.empty() : Optional.of(new Asset(TYPES.get(name), content));
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the host JAR");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file to send.
     *
     * @param contentType its Content-Type
     * @param content     its bytes
     */
    record Asset(String contentType, byte[] content) {
    }
}
