package io.cairn.benchmark;

/**
 * What one run of a measured command cost.
 *
 * @param wallSeconds       from start to end, as the operator waits for it
 * @param clientCpuSeconds  user + system CPU of the command and the children it waited for
 * @param peakRssBytes      the largest resident set size of the command (or of its largest child)
 * @param clusterCpuSeconds user + system CPU the Ceph daemons used meanwhile: on a 2-core machine the
 *                          client and the OSD share the cores, so this is part of what a step costs
 * @param otherCpuSeconds   CPU used meanwhile by everything else on the machine: noise, when large
 */
record Measurement(double wallSeconds, double clientCpuSeconds, long peakRssBytes, double clusterCpuSeconds,
                   double otherCpuSeconds) {

    /** Average cores busy with this step (client and cluster). */
    double coresBusy() {
        return (clientCpuSeconds + clusterCpuSeconds) / wallSeconds;
    }
}
