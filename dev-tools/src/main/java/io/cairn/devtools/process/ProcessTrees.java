package io.cairn.devtools.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends processes together with every process they started: a {@code cairn} JVM's {@code rbd} children,
 * a shell pipe's two ends. Children first, so none is left behind re-parented to init.
 */
final class ProcessTrees {

    private static final Duration REAP = Duration.ofSeconds(5);

    private ProcessTrees() {
    }

    /**
     * SIGTERM to each process and its descendants, SIGKILL to whatever still runs after {@code grace}
     * (at once for a zero grace); waits up to 5 s more for them to be gone.
     */
    static void end(Collection<ProcessHandle> roots, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            root.descendants().forEach(all::add);
            all.add(root);
        }
        if (all.isEmpty()) {
            return;
        }
        if (!grace.isZero()) {
            all.forEach(ProcessHandle::destroy);
            awaitGone(all, grace);
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitGone(all, REAP);
    }

    private static void awaitGone(List<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle process : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit never fails; nothing to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
