package io.cairn.host.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.option.DurationText;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.config.HostOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packaging/systemd/cairn.service}: runs {@code cairn serve} as its own user, restarts it on
 * failure, stops it with SIGTERM and waits longer than {@code stop_timeout} for running backups, and is
 * hardened; {@code systemd-analyze verify} accepts it (with ExecStart pointing at this checkout's
 * launcher, since /opt/cairn does not exist here).
 */
class SystemdUnitTest {

    private static final Path UNIT = TestCluster.projectRoot().resolve("packaging/systemd/cairn.service");

    @TempDir
    Path work;

    @Test
    void runsServeAsItsOwnUserStopsGentlyAndIsHardened() throws IOException {
        Map<String, String> service = section("Service");
        assertEquals("cairn", service.get("User"));
        assertTrue(service.get("ExecStart").endsWith("cairn --conf /etc/cairn serve"), service.get("ExecStart"));
        assertEquals("on-failure", service.get("Restart"));
        assertEquals("2", service.get("RestartPreventExitStatus"), "a configuration error is not retried");
        assertEquals("SIGTERM", service.get("KillSignal"));
        assertEquals("mixed", service.get("KillMode"));
        Duration stopTimeout = DurationText.parse(HostOptions.DEFINITIONS.find("stop_timeout").orElseThrow().defaultValue());
        Duration timeoutStop = systemdDuration(service.get("TimeoutStopSec"));
        assertTrue(timeoutStop.compareTo(stopTimeout) > 0, "TimeoutStopSec " + timeoutStop + " <= stop_timeout " + stopTimeout);
        for (String hardening : List.of("ProtectSystem=strict", "ReadWritePaths=/var/lib/cairn", "StateDirectory=cairn",
                "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes", "PrivateDevices=yes", "CapabilityBoundingSet=",
                "ProtectKernelTunables=yes", "ProtectControlGroups=yes", "RestrictSUIDSGID=yes")) {
            String[] keyValue = hardening.split("=", 2);
            assertEquals(keyValue[1], service.get(keyValue[0]), hardening);
        }
        assertEquals("multi-user.target", section("Install").get("WantedBy"));
    }

    @Test
    void systemdAnalyzeVerifiesIt() throws Exception {
        Path copy = work.resolve("cairn.service");
        Files.writeString(copy, Files.readString(UNIT).replace("/opt/cairn/cairn",
                TestCluster.projectRoot().resolve("cairn").toString()));
        Process verify = new ProcessBuilder("systemd-analyze", "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes());
        assertTrue(verify.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "systemd-analyze verify hung");
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip(), "systemd-analyze verify complained");
    }

    private static Map<String, String> section(String name) throws IOException {
        Map<String, String> keys = new HashMap<>();
        String current = null;
        for (String line : Files.readAllLines(UNIT)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("[")) {
                current = text.substring(1, text.length() - 1);
            } else if (name.equals(current)) {
                String[] keyValue = text.split("=", 2);
                keys.put(keyValue[0], keyValue[1]);
            }
        }
        return keys;
    }

    /** {@code 11min}, {@code 90s}, {@code 1h}: the systemd time spans the unit uses. */
    private static Duration systemdDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(min|s|h)").matcher(text);
        assertTrue(m.matches(), "unexpected time span " + text);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
