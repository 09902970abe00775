package io.cairn.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 5's benchmark: Cairn against the rbd CLI, as an operator runs them, on one throwaway cluster.
 * Run it with {@code benchmark/run [--rounds N] [--memstore-bytes SIZE]}.
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
        Path work = createWorkDir();
        System.out.printf(Locale.ROOT, "Cairn benchmark: %d rounds; throwaway cluster, conf and catalog in %s%n",
                options.rounds(), work);
        try {
            // Needs no cluster: runs first, and alone with --catalog-only.
            System.out.printf(Locale.ROOT, "%ncatalog at scale (embedded catalog, medians of %d runs; each a new JVM)%n",
                    Math.max(5, options.rounds()));
            CatalogScale.prepare(root, work.resolve("scale"), Math.max(5, options.rounds())).run();
        } finally {
            if (options.catalogOnly()) {
                deleteTree(work);
            }
        }
        if (options.catalogOnly()) {
            return;
        }
        List<Round.Result> results = new ArrayList<>();
        TearDown tearDown = new TearDown(work);
        // Ctrl-C skips the finally below: the hook stops the daemons and removes the files instead.
        Thread hook = new Thread(tearDown::run, "benchmark-tear-down");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DevCluster cluster = tearDown.cluster(DevCluster.start(root, work.resolve("ceph"), options.memstoreBytes()));
            CpuClock clock = new CpuClock(cluster.daemonPids());
            Rbd rbd = new Rbd(cluster.conf(), clock);
            Cairn cairn = Cairn.configure(root, work, cluster.conf(), clock);
            warmUp(rbd, cairn);
            for (int round = 1; round <= options.rounds(); round++) {
                System.out.printf(Locale.ROOT, "%nround %d of %d%n", round, options.rounds());
                results.add(new Round(round, rbd, cairn, clock, Benchmark::print).run());
            }
        } finally {
            tearDown.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        List<Map<Work, Step>> rounds = results.stream().map(Round.Result::steps).toList();
        new Summary(rounds).print(System.out);
        List<String> mismatches = results.stream().flatMap(result -> result.mismatches().stream()).toList();
        if (!mismatches.isEmpty()) {
            System.out.println("\nWRONG RESULTS - these figures do not count:");
            mismatches.forEach(line -> System.out.println("  " + line));
            System.exit(1);
        }
        System.out.println("\nEvery restore was byte-identical to its source snapshot.");
    }

    /**
     * Brings the machine to the state the rounds run in, without measuring: the OSD's first gigabytes
     * cost several times more CPU than later ones (the kernel, and on a VM the hypervisor, must
     * supply and clear pages never used before; measured here: 6 s of OSD CPU for a 1 GiB write
     * into fresh memory against 0.9 s into memory used before), and the first command after a build
     * records Cairn's class data sharing archive.
     */
    private static void warmUp(Rbd rbd, Cairn cairn) {
        System.out.println("warming up: 4 GiB written and removed, one cairn command");
        String image = "volumes/warm-up";
        rbd.create(image, 4L << 30);
        rbd.bench(image, 4L << 30);
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

    /** Stops the cluster (if it started) and removes the work directory, once. */
    private static final class TearDown {
        private final Path work;
        private DevCluster cluster;
        private boolean done;

        TearDown(Path work) {
            this.work = work;
        }

        synchronized DevCluster cluster(DevCluster started) {
            cluster = started;
            return started;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                deleteTree(work);
            }
        }
    }

    /** Command-line options. */
    record Options(int rounds, String memstoreBytes, boolean catalogOnly) {

        static Options parse(String[] args) {
            int rounds = 3;
            // Memstore counts an object's clones at their full size: a round holds up to about 8 GiB
            // by that count (its images are removed as it goes). RAM is only taken by what is stored.
            String memstore = "16G";
            boolean catalogOnly = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--memstore-bytes" -> memstore = value(args, ++i);
                    case "--catalog-only" -> catalogOnly = true;
                    default -> {
                        System.err.println("usage: benchmark/run [--rounds N] [--memstore-bytes SIZE] [--catalog-only]");
                        System.exit(2);
                    }
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
            return new Options(rounds, memstore, catalogOnly);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                System.err.println("benchmark: " + args[i - 1] + " needs a value");
                System.exit(2);
            }
            return args[i];
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("cairn-benchmark-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
