package io.cairn.devtools.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./cairn demo}: the launcher runs this from the dev-tools JAR (the product JAR holds no demo).
 * Exit codes as the CLI's: 0 every restore matched, 1 a mismatch or a failure, 2 bad usage.
 */
public final class DemoMain {

    /** Set by the ./cairn launcher: the checkout holding cairn, scripts/ and plugins/. */
    static final String ROOT_PROPERTY = "cairn.root";

    private DemoMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            boolean help = args[0].equals("--help") || args[0].equals("-h");
            (help ? System.out : System.err).println("""
                    Usage: cairn demo
                    Show a real backup and restore: on a throwaway Ceph cluster, back an RBD image up (full, then
                    incremental) with ./cairn, restore both, compare checksums with the source snapshots; then run
                    cairn serve with a schedule every 5 s for a minute and show the chain retention left; tear
                    everything down. Ends on its own in about a minute and a half; Ctrl-C ends it early, leaving
                    nothing behind.""");
            System.exit(help ? 0 : 2);
        }
        Path root = projectRoot();
        int exitCode;
        try {
            exitCode = new Demo(root, System.out, System.err).run() ? 0 : 1;
        } catch (Demo.Interrupted e) {
            exitCode = 130;
        } catch (DemoFailure e) {
            System.err.println("demo: FAILED: " + e.getMessage());
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    private static Path projectRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        Path root = (property != null ? Path.of(property) : Path.of("")).toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("scripts/ceph-dev-cluster")) || !Files.isExecutable(root.resolve("cairn"))) {
            System.err.println("demo: cannot find cairn and scripts/ceph-dev-cluster under " + root
                    + "; run the demo from a Cairn checkout as ./cairn demo");
            System.exit(2);
        }
        return root;
    }
}
