package io.cairn.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a real browser for the dashboard: loads a page, lets its scripts run
 * for a budget of virtual time (fetches included), then prints the DOM or takes a screenshot. Each run
 * gets a fresh profile directory and is killed if it does not finish within a minute. A missing
 * {@code chromium} fails the test with the package to install, never skips it.
 */
public final class HeadlessChromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long LIMIT_SECONDS = 60;

    private final Path work;

    /** @param work a directory for the profiles and output */
    public HeadlessChromium(Path work) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's chromium package"
                    + " (scripts/install-prerequisites does)");
        }
        this.work = work;
    }

    /** The page's DOM after its scripts ran for {@code budgetMillis} of virtual time. */
    public String dumpDom(String url, int budgetMillis) {
        return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", url));
    }

    /** A PNG of the page at the given window size, after its scripts ran for {@code budgetMillis}. */
    public Path screenshot(String url, Path png, int width, int height, int budgetMillis) {
        run(List.of("--virtual-time-budget=" + budgetMillis, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private String run(List<String> arguments) {
        try {
            Path profile = Files.createTempDirectory(work, "chromium-profile-");
            Path out = Files.createTempFile(work, "chromium-", ".out");
            Path err = Files.createTempFile(work, "chromium-", ".err");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile));
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within " + LIMIT_SECONDS + " s: " + command + "\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited " + process.exitValue() + ": " + command + "\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while chromium ran", e);
        }
    }
}
