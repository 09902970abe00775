package io.cairn.host.cli;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.VolumeResolver;
import io.cairn.host.schedule.VolumeSelector;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn schedules}: each schedule, the volumes it selects now, its next firing and its last result. */
@Command(mixinStandardHelpOptions = true, name = "schedules", description = {
    "List the schedules of conf/schedules/: cluster, cron, the volumes they select now, chain and",
    "retention rules, next firing and the last firing's result."})
final class SchedulesCommand extends HostCommand {

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Option(names = "--offline", description = "Do not contact the clusters: patterns are not resolved.")
    private boolean offline;

    @Override
    int run(Host host) {
        List<Schedule> schedules = ScheduleFileReader.readAll(host.conf());
        host.clustersOf(schedules);
        List<ScheduleView> views = new ArrayList<>();
        for (Schedule schedule : schedules) {
            views.add(view(host, schedule));
        }
        if (json) {
            out().println(JsonOutput.write(views));
        } else if (views.isEmpty()) {
            out().println("no schedules in " + host.conf().path().resolve("schedules"));
        } else {
            BackupText text = new BackupText(ZoneId.systemDefault());
            views.forEach(view -> out().print(describe(view, text)));
        }
        return ErrorReport.OK;
    }

    private ScheduleView view(Host host, Schedule schedule) {
        List<String> resolved = null;
        String error = null;
        if (!offline) {
            try {
                ConfiguredCluster cluster = host.cluster(schedule.cluster());
                resolved = VolumeResolver.resolve(schedule.volumes(), host.sessions().session(cluster).volumeListing(),
                        cluster.backend().descriptor().volumeNaming(), cluster.backend().backendId())
                        .volumes().stream().map(VolumeRef::locator).toList();
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        }
        return new ScheduleView(schedule.name(), schedule.file().toString(), schedule.cluster(), schedule.cron(),
                schedule.timeZone().getId(), schedule.entries(), resolved,
                error, nextFiring(schedule, Instant.now()), schedule.chain().describe(), schedule.retention().describe(),
                schedule.labels(), host.runLog().last(schedule.name()).map(ScheduleView.RunView::of).orElse(null));
    }

    /** The next time the cron expression gives after {@code now}; null when it never fires again. */
    static Instant nextFiring(Schedule schedule, Instant now) {
        try {
            CronExpression cron = new CronExpression(schedule.cron());
            cron.setTimeZone(TimeZone.getTimeZone(schedule.timeZone()));
            Date next = cron.getNextValidTimeAfter(Date.from(now));
            return next == null ? null : next.toInstant();
        } catch (ParseException e) {
            throw new IllegalStateException("schedule " + schedule.name() + " has a bad cron expression", e);
        }
    }

    private static String describe(ScheduleView view, BackupText text) {
        StringBuilder out = new StringBuilder();
        out.append(view.name()).append('\n');
        line(out, "cluster", view.cluster());
        line(out, "cron", view.cron() + " (" + view.timeZone() + ")");
        line(out, "next firing", view.nextFiring() == null ? "never" : text.time(view.nextFiring()));
        line(out, "volumes", String.join(", ", view.volumes()));
        if (view.resolvedVolumes() != null) {
            line(out, "selects now", view.resolvedVolumes().isEmpty() ? "nothing" : String.join(", ", view.resolvedVolumes()));
        } else if (view.resolveError() != null) {
            line(out, "selects now", "unknown: " + view.resolveError());
        }
        line(out, "chain", view.chain());
        line(out, "retention", view.retention());
        if (!view.labels().isEmpty()) {
            line(out, "labels", view.labels().toString());
        }
        ScheduleView.RunView last = view.lastRun();
        line(out, "last run", last == null ? "never fired" : text.time(last.firedAt()) + ": " + last.status() + " - "
                + last.summary());
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(java.util.Locale.ROOT, "  %-12s %s%n", name + ":", value));
    }
}
