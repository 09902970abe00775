package io.cairn.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures of all rounds: medians (the machine is shared and noisy; a median ignores one bad
 * round), every round's value next to it, and the targets of issue 5.
 *
 * <p>A ratio is the median of the rounds' ratios, not the ratio of the medians: the two commands of a
 * pair ran back to back in the same round, under the same conditions.
 */
final class Summary {

    private static final double MIB = 1024.0 * 1024.0;

    private final List<Map<Work, Step>> rounds;

    Summary(List<Map<Work, Step>> rounds) {
        this.rounds = List.copyOf(rounds);
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%nMedians of %d rounds (each round's value in brackets)%n%n", rounds.size());
        out.println("| work | Cairn | rbd CLI | Cairn / CLI |");
        out.println("| --- | --- | --- | --- |");
        pair(out, "write ceiling (rbd bench, 1 GiB)", null, Work.CEILING);
        pair(out, "read ceiling (rbd bench, 1 GiB)", null, Work.READ_CEILING);
        pair(out, "full backup, 1 GiB in a 2 GiB image", Work.FULL_CAIRN, Work.FULL_CLI);
        pair(out, "verify of that full backup (1 GiB read), against the read ceiling", Work.VERIFY_CAIRN,
                Work.READ_CEILING);
        pair(out, "incremental, 1600 random 64 KiB writes", Work.INCREMENTAL_CAIRN, Work.INCREMENTAL_CLI);
        pair(out, "(not in the CLI's time: its source snapshot)", null, Work.SNAPSHOT_CLI);
        pair(out, "incremental, nothing changed (Cairn's fixed cost)", Work.NOTHING_CAIRN, null);
        pair(out, "restore of the incremental, new image", Work.RESTORE_CAIRN, Work.RESTORE_CLI);
        pair(out, "incremental, 10 MiB in a 1 GiB thin image", Work.THIN1_CAIRN, Work.THIN1_CLI);
        pair(out, "incremental, 10 MiB in a 100 GiB thin image", Work.THIN100_CAIRN, Work.THIN100_CLI);
        pair(out, "full backup, 1 GiB in a 20 GiB thin image", Work.THIN20_CAIRN, null);

        out.printf(Locale.ROOT, "%nWhat digests cost an incremental (record_digests on against off, same data, medians)%n%n");
        out.println("| incremental | with digests | without | difference | read with / without |");
        out.println("| --- | --- | --- | --- | --- |");
        digestCost(out, "1600 random 64 KiB writes in 2 GiB", Work.INCREMENTAL_CAIRN, Work.INCREMENTAL_PLAIN_CAIRN);
        digestCost(out, "10 MiB in 160 objects of a 1 GiB thin image", Work.THIN1_CAIRN, Work.THIN1_PLAIN_CAIRN);

        out.printf(Locale.ROOT, "%nVerify's read rate (from its first read to its last hash, JVM start not included)%n%n");
        out.printf(Locale.ROOT, "- read ceiling: %.0f MiB/s %s%n", median(round -> readCeilingRate(round)) / MIB,
                each(round -> readCeilingRate(round) / MIB, "%.0f"));
        out.printf(Locale.ROOT, "- verify: %.0f MiB/s %s, %.1f MiB read in %.2f s; the whole command %.2f s%n",
                median(round -> verifyRate(round)) / MIB, each(round -> verifyRate(round) / MIB, "%.0f"),
                median(Work.VERIFY_CAIRN, Step::bytesRead) / MIB, median(Work.VERIFY_CAIRN, Step::transferSeconds),
                seconds(Work.VERIFY_CAIRN));

        out.printf(Locale.ROOT, "%nWhere Cairn's time goes (medians)%n%n");
        out.println("| command | wall | backup record created to stored | rest: JVM, plugin, connect, tidy | peak RSS"
                + " | CPU client + cluster (others) |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        for (Work work : Work.values()) {
            if (work.isCairn()) {
                breakdown(out, work);
            }
        }

        out.printf(Locale.ROOT, "%nTargets (issue 5; a command's fixed cost, issue 16)%n%n| target | measured | goal | |%n"
                + "| --- | --- | --- | --- |%n");
        targets().forEach(target -> out.println(target.row()));
        new Limits(this).print(out);
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("full backup, Cairn / CLI time", ratio(Work.FULL_CAIRN, Work.FULL_CLI), 0.80, true,
                "%.2f"));
        targets.add(new Target("incremental, Cairn / CLI time", ratio(Work.INCREMENTAL_CAIRN, Work.INCREMENTAL_CLI),
                0.50, true, "%.2f"));
        targets.add(new Target("restore, Cairn / CLI time", ratio(Work.RESTORE_CAIRN, Work.RESTORE_CLI), 0.67, true,
                "%.2f"));
        targets.add(new Target("full backup rate / write ceiling rate", ratio(Work.CEILING, Work.FULL_CAIRN), 0.90,
                false, "%.2f"));
        targets.add(new Target("verify read rate / read ceiling rate", median(round -> verifyRate(round)
                / readCeilingRate(round)), 0.90, false, "%.2f"));
        targets.add(new Target("peak RSS of any cairn command, any round", maxRssMib(), 300, true, "%.0f MiB"));
        targets.add(new Target("peak RSS, 20 GiB / 2 GiB image", ratio(step -> step.cost().peakRssBytes(),
                Work.THIN20_CAIRN, Work.FULL_CAIRN), 1.10, true, "%.2f"));
        targets.add(new Target("10 MiB incremental, 100 GiB / 1 GiB image time", ratio(Work.THIN100_CAIRN,
                Work.THIN1_CAIRN), 1.20, true, "%.2f"));
        // A command's fixed cost (issue 16): wall time, as an operator waits for it, JVM start included.
        targets.add(new Target("cairn backup with nothing to move", seconds(Work.NOTHING_CAIRN), 0.50, true, "%.2f s"));
        targets.add(new Target("cairn list", seconds(Work.LIST), 0.35, true, "%.2f s"));
        return targets;
    }

    private void pair(PrintStream out, String what, Work cairn, Work cli) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", what, cairn == null ? "" : secondsText(cairn),
                cli == null ? "" : secondsText(cli),
                cairn == null || cli == null ? "" : String.format(Locale.ROOT, "%.2f %s", ratio(cairn, cli),
                        each(round -> round.get(cairn).seconds() / round.get(cli).seconds(), "%.2f")));
    }

    private void digestCost(PrintStream out, String what, Work with, Work without) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %+.2f s | %.0f / %.0f MiB |%n", what, secondsText(with),
                secondsText(without), median(round -> round.get(with).seconds() - round.get(without).seconds()),
                median(with, Step::bytesRead) / MIB, median(without, Step::bytesRead) / MIB);
    }

    /** Bytes per second of rbd bench's read of 1 GiB. */
    private static double readCeilingRate(Map<Work, Step> round) {
        Step ceiling = round.get(Work.READ_CEILING);
        return ceiling.bytesRead() / ceiling.seconds();
    }

    /** Bytes per second verify read, over its own time. */
    private static double verifyRate(Map<Work, Step> round) {
        Step verify = round.get(Work.VERIFY_CAIRN);
        return verify.bytesRead() / verify.transferSeconds();
    }

    private void breakdown(PrintStream out, Work work) {
        ToDoubleFunction<Map<Work, Step>> wall = round -> round.get(work).seconds();
        ToDoubleFunction<Map<Work, Step>> recorded = round -> round.get(work).transferSeconds();
        boolean hasRecord = !Double.isNaN(median(recorded));
        out.printf(Locale.ROOT, "| %s (%s) | %.2f s | %s | %s | %.0f MiB | %.1f + %.1f s (%.1f) |%n", work.command,
                work.what, median(wall),
                hasRecord ? String.format(Locale.ROOT, "%.2f s", median(recorded)) : "",
                hasRecord ? String.format(Locale.ROOT, "%.2f s", median(round -> wall.applyAsDouble(round)
                        - recorded.applyAsDouble(round))) : "",
                median(round -> round.get(work).cost().peakRssBytes()) / MIB,
                median(round -> round.get(work).cost().clientCpuSeconds()),
                median(round -> round.get(work).cost().clusterCpuSeconds()),
                median(round -> round.get(work).cost().otherCpuSeconds()));
    }

    private String secondsText(Work work) {
        return String.format(Locale.ROOT, "%.2f s %s", median(round -> round.get(work).seconds()),
                each(round -> round.get(work).seconds(), "%.2f"));
    }

    double ratio(Work numerator, Work denominator) {
        return ratio(Step::seconds, numerator, denominator);
    }

    private double ratio(ToDoubleFunction<Step> figure, Work numerator, Work denominator) {
        return median(round -> figure.applyAsDouble(round.get(numerator)) / figure.applyAsDouble(round.get(denominator)));
    }

    private double maxRssMib() {
        return rounds.stream().flatMap(round -> round.entrySet().stream())
                .filter(entry -> entry.getKey().isCairn())
                .mapToLong(entry -> entry.getValue().cost().peakRssBytes()).max().orElse(0) / MIB;
    }

    private String each(ToDoubleFunction<Map<Work, Step>> figure, String format) {
        StringBuilder text = new StringBuilder("[");
        for (Map<Work, Step> round : rounds) {
            text.append(text.length() > 1 ? " " : "").append(String.format(Locale.ROOT, format,
                    figure.applyAsDouble(round)));
        }
        return text.append("]").toString();
    }

    /** Median wall time of a step. */
    double seconds(Work work) {
        return median(round -> round.get(work).seconds());
    }

    /** Median of a figure of a step. */
    double median(Work work, ToDoubleFunction<Step> figure) {
        return median(round -> figure.applyAsDouble(round.get(work)));
    }

    private double median(ToDoubleFunction<Map<Work, Step>> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
