package io.cairn.ceph.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The clients of an image, as an operator handles those of a process that died. */
public final class TestClients {

    private TestClients() {
    }

    /**
     * Blocklists every client watching {@code spec} (what {@code ceph osd blocklist add} does for a dead
     * host): its watch goes at once instead of after the watch timeout, and its exclusive lock can be
     * broken.
     */
    public static void fenceWatchers(TestCluster cluster, String spec) {
        Matcher watcher = Pattern.compile("watcher=(\\S+)").matcher(cluster.rbd("status", spec));
        while (watcher.find()) {
            TestCluster.Result result = TestCluster.run(List.of("ceph", "--conf", cluster.conf().toString(), "osd",
                    "blocklist", "add", watcher.group(1)), 60);
            if (result.exitCode() != 0) {
                throw new IllegalStateException("cannot blocklist " + watcher.group(1) + ": " + result.stderr());
            }
        }
    }
}
