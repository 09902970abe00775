package io.cairn.benchmark;

import io.cairn.devtools.ceph.ClusterTearDown;
import io.cairn.devtools.ceph.DevCluster;
import io.cairn.devtools.ceph.Rbd;
import io.cairn.devtools.process.ChildProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 5's benchmark: Cairn against the rbd CLI, as an operator runs them, on one throwaway cluster.
 * Run it with {@code benchmark/run [--rounds N] [--osd-size SIZE]}.
 *
 * <p>Every round measures the write ceiling, a full backup, an incremental and a restore each way, the
 * peak memory of Cairn for a 2 GiB and a 20 GiB image, and a 10 MiB incremental in a 1 GiB and a
 * 100 GiB thin image; restores are checked by SHA-256 against their source snapshot. The summary gives
 * medians and the targets met or missed. Exit status 1 when a restore differs from its source or a
 * step fails; missed targets are reported, not failed.
 */
public final class Benchmark {

    private static final double MIB = 1024.0 * 1024.0;

    private Benchmark() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        Path work = ClusterTearDown.workDir("cairn-benchmark-");
        System.out.printf(Locale.ROOT, "Cairn benchmark: %d rounds; throwaway cluster, conf and catalog in %s%n",
                options.rounds(), work);
        List<Round.Result> results = new ArrayList<>();
        ScheduledFiring.Result scheduled = null;
        LargeVolume.Result large = null;
        ChildProcesses children = ChildProcesses.tracked();
        // Ctrl-C skips the finally below: a shutdown hook ends the benchmark's processes, stops the daemons and
        // removes the files instead.
        ClusterTearDown tearDown = new ClusterTearDown(root, work, work.resolve("ceph"), children,
                line -> System.err.println("benchmark: " + line)).onShutdown();
        try {
            // Needs no cluster: runs first, and alone with --catalog-only.
            if (!options.scheduledOnly()) {
                System.out.printf(Locale.ROOT, "%ncatalog at scale (embedded catalog, medians of %d runs; each a new"
                        + " JVM)%n", Math.max(5, options.rounds()));
                CatalogScale.prepare(root, work.resolve("scale"), Math.max(5, options.rounds())).run();
            }
            if (options.catalogOnly()) {
                return;
            }
            DevCluster cluster = DevCluster.in(root, work.resolve("ceph")).osdSize(options.osdSize())
                    .progressTo(System.err).in(children).start();
            CpuClock clock = new CpuClock(cluster.daemons().stream().map(DevCluster.Daemon::pid).toList());
            Timed timed = new Timed(clock, children);
            RbdReference rbd = new RbdReference(new Rbd(cluster.conf(), Timed.TIMEOUT, children), timed);
            Cairn cairn = Cairn.configure(root, work, cluster.conf(), timed);
            warmUp(rbd.cli(), cairn);
            if (!options.scheduledOnly()) {
                for (int round = 1; round <= options.rounds(); round++) {
                    System.out.printf(Locale.ROOT, "%nround %d of %d%n", round, options.rounds());
                    results.add(new Round(round, rbd, cairn, clock, Benchmark::print).run());
                }
            }
            // Once, after the rounds: it leaves its images on the cluster, which is removed next.
            if (!options.largeOnly()) {
                scheduled = new ScheduledFiring(root, work.resolve("conf"), work, rbd, timed, children).run();
            }
            if (options.large()) {
                large = new LargeVolume(root, work, cluster.conf(), rbd, timed, children).run();
            }
        } finally {
            tearDown.run();
        }
        List<Map<Work, Step>> rounds = results.stream().map(Round.Result::steps).toList();
        if (!rounds.isEmpty()) {
            new Summary(rounds).print(System.out);
        }
        List<Target> issue16 = new ArrayList<>();
        List<String> mismatches = new ArrayList<>(results.stream().flatMap(result -> result.mismatches().stream())
                .toList());
        if (scheduled != null) {
            scheduled.print(System.out);
            issue16.addAll(scheduled.targets());
            mismatches.addAll(scheduled.mismatches());
        }
        if (large != null) {
            large.print(System.out);
            issue16.addAll(large.targets());
            mismatches.addAll(large.mismatches());
        }
        System.out.printf(Locale.ROOT, "%nTargets (issue 16: the scheduled path%s; one run)%n%n| target | measured | goal"
                + " | |%n| --- | --- | --- | --- |%n", large == null ? "" : ", a volume bigger than RAM");
        issue16.forEach(target -> System.out.println(target.row()));
        if (!mismatches.isEmpty()) {
            System.out.println("\nWRONG RESULTS - these figures do not count:");
            mismatches.forEach(line -> System.out.println("  " + line));
            System.exit(1);
        }
        System.out.println("\nEvery restore was byte-identical to its source snapshot.");
    }

    /**
     * Brings the machine to the state the rounds run in, without measuring: an OSD's first gigabytes cost
     * more than later ones (measured with the memstore OSD this benchmark used before: 6 s of OSD CPU for
     * a 1 GiB write into fresh memory against 0.9 s into memory used before; the bluestore OSD's sparse
     * file has its blocks allocated by the file system on first write, and its caches are cold), and the
     * first command after a build records Cairn's class data sharing archive.
     */
    private static void warmUp(Rbd rbd, Cairn cairn) {
        System.out.println("warming up: 4 GiB written and removed, one cairn command");
        String image = "volumes/warm-up";
        rbd.create(image, 4L << 30);
        rbd.benchWrite(image, "seq", "4M", (4L << 30) + "B");
        rbd.remove(image);
        cairn.idle("list");
    }

    private static void print(Work work, Step step) {
        Measurement cost = step.cost();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-37s %-29s %6.2f s", work.what,
                work.command, step.seconds()));
        if (!Double.isNaN(step.transferSeconds())) {
            line.append(String.format(Locale.ROOT, " (record %.2f s)", step.transferSeconds()));
        }
        if (step.bytesRead() >= 0) {
            line.append(String.format(Locale.ROOT, "  read %.1f MiB", step.bytesRead() / MIB));
        }
        if (step.bytesWritten() >= 0) {
            line.append(String.format(Locale.ROOT, "  written %.1f MiB", step.bytesWritten() / MIB));
        }
        line.append(String.format(Locale.ROOT, "  peak RSS %.0f MiB  CPU %.1f + cluster %.1f s (others %.1f)",
                cost.peakRssBytes() / MIB, cost.clientCpuSeconds(), cost.clusterCpuSeconds(), cost.otherCpuSeconds()));
        System.out.println(line);
    }

    /** Command-line options. */
    record Options(int rounds, String osdSize, boolean catalogOnly, boolean scheduledOnly, boolean large,
                   boolean largeOnly) {

        static Options parse(String[] args) {
            int rounds = 3;
            // The OSD's disk is a sparse file: only what is stored takes space. A round stores a few GiB
            // at once (its images are removed as it goes); the rest is headroom.
            String osdSize = "32G";
            boolean catalogOnly = false;
            boolean scheduledOnly = false;
            boolean large = false;
            boolean largeOnly = false;
            boolean osdSizeGiven = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--osd-size" -> {
                        osdSize = value(args, ++i);
                        osdSizeGiven = true;
                    }
                    case "--catalog-only" -> catalogOnly = true;
                    case "--scheduled-only" -> scheduledOnly = true;
                    case "--large" -> large = true;
                    case "--large-only" -> {
                        large = true;
                        largeOnly = true;
                        scheduledOnly = true;
                    }
                    default -> {
                        System.err.println("usage: benchmark/run [--rounds N] [--osd-size SIZE] [--catalog-only |"
                                + " --scheduled-only] [--large | --large-only]");
                        System.exit(2);
                    }
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
            if (large && !osdSizeGiven) {
                // The large step holds up to about 40 GiB at once: source, backup images, a restore.
                osdSize = "64G";
            }
            return new Options(rounds, osdSize, catalogOnly, scheduledOnly, large, largeOnly);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                System.err.println("benchmark: " + args[i - 1] + " needs a value");
                System.exit(2);
            }
            return args[i];
        }
    }
}
