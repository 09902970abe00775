package io.cairn.benchmark;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What stands between the measured figures and the targets, in figures from the same run: the two
 * cores, the OSD's own speed, and the cost every {@code cairn} command pays before and after moving
 * data.
 */
final class Limits {

    private final Summary summary;

    Limits(Summary summary) {
        this.summary = summary;
    }

    void print(PrintStream out) {
        double write = summary.seconds(Work.CEILING);
        double read = summary.seconds(Work.READ_CEILING);
        double fullCairn = summary.seconds(Work.FULL_CAIRN);
        double fullRecord = summary.median(Work.FULL_CAIRN, Step::transferSeconds);
        double fullCli = summary.seconds(Work.FULL_CLI);
        double nothing = summary.seconds(Work.NOTHING_CAIRN);
        double nothingRecord = summary.median(Work.NOTHING_CAIRN, Step::transferSeconds);
        double version = summary.seconds(Work.VERSION);
        double list = summary.seconds(Work.LIST);
        double incrementalCli = summary.seconds(Work.INCREMENTAL_CLI);
        double restoreCli = summary.seconds(Work.RESTORE_CLI);
        double snapshotCli = summary.seconds(Work.SNAPSHOT_CLI);

        out.printf(Locale.ROOT, "%nWhat bounds them (medians)%n%n");
        line(out, "two cores: during the full backup Cairn and the OSD kept %.2f cores busy, the rbd pipe %.2f",
                summary.median(Work.FULL_CAIRN, step -> step.cost().coresBusy()),
                summary.median(Work.FULL_CLI, step -> step.cost().coresBusy()));
        line(out, "the OSD: reading 1 GiB takes %.2f s, writing it %.2f s; a backup does both, %.2f s. Cairn's"
                + " full backup, from its record's creation to stored, took %.2f s (snapshot, base image and"
                + " commit included)", read, write, read + write, fullRecord);
        line(out, "Cairn's fixed cost: a backup with nothing to move takes %.2f s - JVM start %.2f s (cairn"
                + " --version), host start %.2f s (cairn list minus that), snapshots, metadata and catalog"
                + " inside the record %.2f s, the rest (connect, plan, tidy the old snapshot, exit) %.2f s",
                nothing, version, list - version, nothingRecord, nothing - list - nothingRecord);
        line(out, "full backup <= 0.80 x CLI means <= %.2f s; fixed cost + the OSD's read and write = %.2f s"
                + " (measured %.2f s)", 0.80 * fullCli, nothing + read + write, fullCairn);
        line(out, "full backup >= 90%% of the write ceiling's rate means <= %.2f s for reading and writing,"
                + " while writing alone takes %.2f s and reading %.2f s", write / 0.90, write, read);
        line(out, "incremental <= 0.50 x CLI means <= %.2f s; the fixed cost alone is %.2f s", 0.50 * incrementalCli,
                nothing);
        line(out, "a backup with nothing to move in <= 0.50 s: the JVM's start alone takes %.2f s, and such a backup"
                + " still changes three snapshots (takes the source snapshot and the restore point, removes the older"
                + " backup's snapshot), each a lock and a monitor round trip: rbd snap create alone took %.2f s",
                version, snapshotCli);
        line(out, "restore <= 0.67 x CLI means <= %.2f s; JVM and host start alone are %.2f s", 0.67 * restoreCli,
                list);
    }

    private static void line(PrintStream out, String format, Object... args) {
        out.println("- " + String.format(Locale.ROOT, format, args));
    }
}
