package io.cairn.benchmark;

import io.cairn.devtools.ceph.Rbd;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rbd CLI in the benchmark: the reference transfers Cairn is compared with and the ceilings, each
 * measured ({@link Timed}), and the set-up and checks around them (dev-tools' {@link Rbd}, unmeasured).
 */
final class RbdReference {

    private static final Pattern DIFF_EXTENT = Pattern.compile("\"length\":(\\d+),\"exists\":\"(true|false)\"");

    private final Rbd rbd;
    private final Timed timed;

    RbdReference(Rbd rbd, Timed timed) {
        this.rbd = rbd;
        this.timed = timed;
    }

    /** The unmeasured CLI: creating, writing, snapshotting, removing, checksums. */
    Rbd cli() {
        return rbd;
    }

    /** Writes random data through {@code rbd import-diff}. */
    void write(String image, RandomWrites writes, long seed) {
        rbd.importDiff(image, out -> writes.writeStream(out, seed));
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
        Matcher extents = DIFF_EXTENT.matcher(rbd.run(args.toArray(String[]::new)));
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
        rbd.create(image, bytes);
        try {
            return timed.run(rbd.argv("bench", "--io-type", "write", "--io-size", "4M", "--io-threads", "16",
                    "--io-total", bytes + "B", image), null);
        } finally {
            rbd.remove(image);
        }
    }

    /** {@code rbd bench --io-type read --io-size 4M --io-threads 16} of the first {@code bytes} of an image. */
    Measurement readCeiling(String image, long bytes) {
        return timed.run(rbd.argv("bench", "--io-type", "read", "--io-size", "4M", "--io-threads", "16",
                "--io-total", bytes + "B", image), null);
    }

    /** Times {@code rbd snap create}: the CLI's share of what {@code cairn backup} does before its transfer. */
    Measurement timedSnapshot(String image, String snapshot) {
        return timed.run(rbd.argv("snap", "create", "--no-progress", image + "@" + snapshot), null);
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

    private Measurement pipe(String line) {
        // pipefail: a failing export must fail the step, not just an import of nothing.
        return timed.run(List.of("bash", "-c", "set -o pipefail; " + line), null);
    }

    /** {@code rbd --conf '...'} for a shell line. */
    private String rbdLine() {
        List<String> argv = rbd.argv();
        return argv.get(0) + " " + argv.get(1) + " '" + argv.get(2) + "'";
    }
}
