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
