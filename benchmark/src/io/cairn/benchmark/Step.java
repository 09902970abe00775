package io.cairn.benchmark;

/**
 * One measured command of a round.
 *
 * @param cost         what it cost
 * @param bytesRead    bytes read from the source (for the rbd pipes: the data in the stream)
 * @param bytesWritten bytes written to the target
 * @param transferSeconds for {@code cairn backup}: the time from the backup's record being created to
 *                     it being stored, i.e. without JVM start, connecting and tidying; otherwise NaN
 */
record Step(Measurement cost, long bytesRead, long bytesWritten, double transferSeconds) {

    static Step of(Measurement cost, long bytesRead, long bytesWritten) {
        return new Step(cost, bytesRead, bytesWritten, Double.NaN);
    }

    static Step of(Measurement cost) {
        return new Step(cost, -1, -1, Double.NaN);
    }

    double seconds() {
        return cost.wallSeconds();
    }
}
