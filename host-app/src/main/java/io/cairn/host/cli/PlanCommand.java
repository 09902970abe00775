package io.cairn.host.cli;

import io.cairn.api.operation.BackupKind;
import io.cairn.host.Host;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.schedule.FiringPlanner;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn plan SCHEDULE}: what the schedule's next firing would back up if it fired now, and how. */
@Command(mixinStandardHelpOptions = true, name = "plan", description = {
    "Show what a schedule's firing would do now: each volume it selects, full or incremental, and why.",
    "Changes nothing. Named volumes need no contact with the cluster; patterns are resolved against it."})
final class PlanCommand extends HostCommand {

    @Parameters(index = "0", paramLabel = "SCHEDULE", description = "The schedule, by name.")
    private String name;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    int run(Host host) {
        Schedule schedule = ScheduleFileReader.readAll(host.conf()).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("no schedule '" + name + "' in " + host.conf().path().resolve("schedules")));
        ConfiguredCluster cluster = host.cluster(schedule.cluster());
        FiringPlanner.FiringPlan plan = FiringPlanner.plan(schedule, cluster,
                () -> host.sessions().session(cluster).volumeListing(), host.catalog(), Instant.now());
        if (json) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("schedule", plan.schedule());
            view.put("cluster", plan.cluster());
            view.put("planned_at", plan.at());
            List<Map<String, Object>> volumes = new ArrayList<>();
            for (FiringPlanner.VolumePlan volume : plan.volumes()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("volume", volume.volume().locator());
                v.put("kind", volume.kind().label());
                v.put("parent", volume.parent().orElse(null));
                v.put("reason", volume.reason());
                volumes.add(v);
            }
            view.put("volumes", volumes);
            view.put("notes", plan.notes());
            out().println(JsonOutput.write(view));
        } else {
            StringBuilder text = new StringBuilder();
            text.append("schedule ").append(plan.schedule()).append(" on cluster ").append(plan.cluster()).append(", if it")
                    .append(" fired now: ").append(plan.volumes().size()).append(" volumes, ")
                    .append(plan.count(BackupKind.FULL)).append(" full, ").append(plan.count(BackupKind.INCREMENTAL))
                    .append(" incremental\n");
            plan.notes().forEach(note -> text.append("  note: ").append(note).append('\n'));
            for (FiringPlanner.VolumePlan volume : plan.volumes()) {
                text.append(String.format(java.util.Locale.ROOT, "  %-40s %-11s %s%n", volume.volume().locator(),
                        volume.kind().label(), volume.reason()));
            }
            out().print(text);
        }
        return ErrorReport.OK;
    }
}
