package io.cairn.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far by the cluster's daemons and by the whole machine, from {@code /proc}. A
 * step's share is the difference of two readings. Resolution: one clock tick (10 ms).
 */
final class CpuClock {

    /** {@code USER_HZ}, the unit of /proc's CPU times; 100 on every Linux platform Ceph runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final List<Long> daemonPids;

    CpuClock(List<Long> daemonPids) {
        this.daemonPids = List.copyOf(daemonPids);
    }

    /** One reading. */
    record Reading(double clusterSeconds, double machineBusySeconds) {
    }

    Reading read() {
        double cluster = 0;
        for (long pid : daemonPids) {
            cluster += processSeconds(pid);
        }
        return new Reading(cluster, machineBusySeconds());
    }

    /**
     * Waits until the daemons are idle (under 5% of a core for 200 ms), at most 20 s: removing images
     * and snapshots leaves the OSD trimming in the background, and that must not be charged to the
     * next measured step.
     */
    void awaitQuietCluster() {
        long deadline = System.nanoTime() + 20_000_000_000L;
        double previous = read().clusterSeconds();
        while (System.nanoTime() < deadline) {
            sleep(200);
            double now = read().clusterSeconds();
            if (now - previous <= 0.01) {
                return;
            }
            previous = now;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Resident memory of the daemons, in bytes. */
    long clusterRssBytes() {
        long bytes = 0;
        for (long pid : daemonPids) {
            for (String line : readProc(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    bytes += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        return bytes;
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat, counted after the command name). */
    private static double processSeconds(long pid) {
        String stat = readProc(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name is in parentheses and may hold spaces: count fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Busy time of all cores: every field of /proc/stat's "cpu" line but idle and iowait. */
    private static double machineBusySeconds() {
        String[] fields = readProc(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        // user nice system idle iowait irq softirq steal (guest time is already inside user)
        for (int i = 1; i <= 8 && i < fields.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy / TICKS_PER_SECOND;
    }

    private static String readProc(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " (is the cluster still running?)", e);
        }
    }
}
