package io.cairn.benchmark;

/** The measured steps of a round, in the order they are printed. */
enum Work {
    VERSION("cairn --version", "JVM start"),
    LIST("cairn list", "JVM start, plugins, catalog"),
    CEILING("rbd bench write 4M x16, 1 GiB", "write ceiling"),
    READ_CEILING("rbd bench read 4M x16, 1 GiB", "read ceiling"),
    FULL_CAIRN("cairn backup --full", "full backup, 1 GiB in 2 GiB"),
    FULL_CLI("rbd export-diff | import-diff", "full backup, 1 GiB in 2 GiB"),
    VERIFY_CAIRN("cairn verify", "verify of the full backup, 1 GiB read"),
    INCREMENTAL_CAIRN("cairn backup", "incremental, 1600 x 64 KiB"),
    SNAPSHOT_CLI("rbd snap create", "incremental's source snapshot"),
    INCREMENTAL_CLI("rbd export-diff | import-diff", "incremental, 1600 x 64 KiB"),
    INCREMENTAL_PLAIN_CAIRN("cairn backup", "incremental, 1600 x 64 KiB, no digests"),
    NOTHING_CAIRN("cairn backup", "incremental, nothing changed"),
    RESTORE_CAIRN("cairn restore", "restore incremental, new image"),
    RESTORE_CLI("rbd export | rbd import", "restore incremental, new image"),
    THIN20_CAIRN("cairn backup --full", "full backup, 1 GiB in 20 GiB thin"),
    THIN1_FULL_CAIRN("cairn backup --full", "full backup, 10 MiB in 1 GiB thin"),
    THIN1_CAIRN("cairn backup", "incremental, 10 MiB in 1 GiB thin"),
    THIN1_CLI("rbd export-diff | import-diff", "incremental, 10 MiB in 1 GiB thin"),
    THIN1_PLAIN_CAIRN("cairn backup", "incremental, 10 MiB in 1 GiB thin, no digests"),
    THIN100_FULL_CAIRN("cairn backup --full", "full backup, 10 MiB in 100 GiB thin"),
    THIN100_CAIRN("cairn backup", "incremental, 10 MiB in 100 GiB thin"),
    THIN100_CLI("rbd export-diff | import-diff", "incremental, 10 MiB in 100 GiB thin");

    final String command;
    final String what;

    Work(String command, String what) {
        this.command = command;
        this.what = what;
    }

    boolean isCairn() {
        return command.startsWith("cairn");
    }
}
