package io.cairn.host.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program with a deadline: stdout is collected, stderr passed through (so the operator sees
 * what a long step is doing), and a non-zero exit becomes an exception naming the command.
 */
final class ExternalCommand {

    private ExternalCommand() {
    }

    /** @return stdout */
    static String run(List<String> command, OutputStream stderr, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), stderr);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            outPump.join();
            errPump.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue());
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    static Thread pump(InputStream in, OutputStream sink) {
        Thread thread = new Thread(() -> {
            try {
                in.transferTo(sink);
                sink.flush();
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }, "pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
