package io.cairn.host.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code rbd} CLI as client.admin of one cluster: the demo's set-up (create an image, write data)
 * and its independent check (checksums read by another program than the one that wrote the backup).
 */
final class Rbd {

    private static final long TIMEOUT_SECONDS = 600;

    private final Path conf;
    private final OutputStream log;

    Rbd(Path conf, OutputStream log) {
        this.conf = conf;
        this.log = log;
    }

    void create(String image, String size) {
        run("create", image, "--size", size);
    }

    /** Writes {@code total} of data in random places, {@code ioSize} at a time ({@code rbd bench}). */
    void writeRandom(String image, String ioSize, String total) {
        run("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", ioSize, "--io-total", total, image);
    }

    /** SHA-256 of every byte of {@code pool/image} or {@code pool/image@snap}, read with {@code rbd export}. */
    String sha256(String spec) {
        ProcessBuilder builder = new ProcessBuilder("rbd", "--conf", conf.toString(), "export", "--no-progress", spec, "-");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(process.getInputStream(), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rbd export " + spec + " failed");
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The images of a pool. */
    List<String> list(String pool) {
        String out = ExternalCommand.run(List.of("rbd", "--conf", conf.toString(), "ls", pool), log, TIMEOUT_SECONDS);
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    private void run(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", conf.toString()));
        command.addAll(List.of(args));
        ExternalCommand.run(command, log, TIMEOUT_SECONDS);
    }
}
