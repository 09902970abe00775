package io.cairn.benchmark;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rbd} CLI as client.admin of the benchmark's cluster: set-up, the reference transfers
 * Cairn is compared with, and the independent checks (checksums read by another program than the
 * one that wrote the data).
 */
final class Rbd {

    private static final Pattern DIFF_EXTENT = Pattern.compile("\"length\":(\\d+),\"exists\":\"(true|false)\"");

    private final Path conf;
    private final CpuClock clock;

    Rbd(Path conf, CpuClock clock) {
        this.conf = conf;
        this.clock = clock;
    }

    void create(String image, long bytes) {
        rbd("create", "--size", bytes + "B", image);
    }

    /** Removes an image and all its snapshots, freeing the OSD's RAM for the next round. */
    void remove(String image) {
        rbd("snap", "purge", "--no-progress", image);
        rbd("rm", "--no-progress", image);
    }

    void snapshot(String image, String snapshot) {
        rbd("snap", "create", "--no-progress", image + "@" + snapshot);
    }

    /** Writes random data through {@code rbd import-diff}. */
    void write(String image, RandomWrites writes, long seed) {
        Command.run(command("import-diff", "--no-progress", "-", image), out -> writes.writeStream(out, seed));
    }

    /**
     * Bytes of data {@code rbd diff} reports for {@code spec} (since {@code fromSnapshot}, or all): what
     * {@code rbd export-diff} reads and streams.
     */
    long dataBytes(String spec, String fromSnapshot) {
        List<String> args = new ArrayList<>(List.of("diff", "--format", "json"));
        if (fromSnapshot != null) {
            args.addAll(List.of("--from-snap", fromSnapshot));
        }
        args.add(spec);
        Matcher extents = DIFF_EXTENT.matcher(rbd(args.toArray(String[]::new)));
        long bytes = 0;
        while (extents.find()) {
            if (extents.group(2).equals("true")) {
                bytes += Long.parseLong(extents.group(1));
            }
        }
        return bytes;
    }

    /** {@code rbd bench --io-type write --io-size 4M --io-threads 16} of {@code bytes} into a new image. */
    Measurement writeCeiling(String image, long bytes) {
        create(image, bytes);
        try {
            return Command.measured(command("bench", "--io-type", "write", "--io-size", "4M", "--io-threads", "16",
                    "--io-total", bytes + "B", image), null, clock);
        } finally {
            remove(image);
        }
    }

    /** {@code rbd bench --io-type write} of {@code bytes}, unmeasured. */
    void bench(String image, long bytes) {
        rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-threads", "16", "--io-total", bytes + "B", image);
    }

    /** {@code rbd bench --io-type read --io-size 4M --io-threads 16} of the first {@code bytes} of an image. */
    Measurement readCeiling(String image, long bytes) {
        return Command.measured(command("bench", "--io-type", "read", "--io-size", "4M", "--io-threads", "16",
                "--io-total", bytes + "B", image), null, clock);
    }

    /** Times {@code rbd snap create}: the CLI's share of what {@code cairn backup} does before its transfer. */
    Measurement timedSnapshot(String image, String snapshot) {
        return Command.measured(command("snap", "create", "--no-progress", image + "@" + snapshot), null, clock);
    }

    /** Times {@code rbd export-diff [--from-snap FROM] IMAGE@SNAP - | rbd import-diff - TARGET}. */
    Measurement exportDiffImportDiff(String image, String fromSnapshot, String snapshot, String target) {
        String from = fromSnapshot == null ? "" : " --from-snap " + fromSnapshot;
        return pipe(rbdLine() + " export-diff --no-progress" + from + " " + image + "@" + snapshot + " - | "
                + rbdLine() + " import-diff --no-progress - " + target);
    }

    /** Times {@code rbd export SPEC - | rbd import - TARGET}: the CLI's restore into a new image. */
    Measurement exportImport(String spec, String target) {
        return pipe(rbdLine() + " export --no-progress " + spec + " - | " + rbdLine() + " import --no-progress - "
                + target);
    }

    /** SHA-256 of every byte of {@code pool/image} or {@code pool/image@snap}, read with {@code rbd export}. */
    String sha256(String spec) {
        ProcessBuilder builder = new ProcessBuilder(command("export", "--no-progress", spec, "-"));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(process.getInputStream(), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
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

    private Measurement pipe(String line) {
        // pipefail: a failing export must fail the step, not just an import of nothing.
        return Command.measured(List.of("bash", "-c", "set -o pipefail; " + line), null, clock);
    }

    private String rbdLine() {
        return "rbd --conf '" + conf + "'";
    }

    private String rbd(String... args) {
        return Command.run(command(args));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", conf.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
