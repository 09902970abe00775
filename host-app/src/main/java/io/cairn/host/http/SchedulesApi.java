package io.cairn.host.http;

import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleService;
import io.cairn.host.schedule.VolumeSelector;
import io.cairn.host.view.FiringView;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The schedules and firings of the JSON API: what {@code cairn serve} runs, when each fires next (as its
 * job store has it), their recent firings; and a firing started on request.
 */
final class SchedulesApi {

    static final int DEFAULT_FIRINGS = 50;
    static final int MAX_FIRINGS = 1000;

    private final ScheduleService service;
    private final ScheduleRunLog runLog;

    SchedulesApi(ScheduleService service, ScheduleRunLog runLog) {
        this.service = service;
        this.runLog = runLog;
    }

    List<ScheduleJson> schedules() {
        return service.schedules().stream().map(this::view).toList();
    }

    private ScheduleJson view(Schedule schedule) {
        return new ScheduleJson(schedule.name(), schedule.cluster(), schedule.cron(), schedule.timeZone().getId(),
                schedule.entries(), schedule.chain().describe(),
                schedule.retention().describe(), schedule.labels(), service.nextFiring(schedule.name()).orElse(null),
                runLog.last(schedule.name()).map(FiringView::of).orElse(null));
    }

    /** The newest firings first, of one schedule or of all. */
    List<FiringView> firings(Optional<String> schedule, int limit) {
        return runLog.recent(schedule, limit).stream().map(FiringView::of).toList();
    }

    /** Fires a schedule now. */
    FiringRequested run(String schedule) {
        try {
            service.fireNow(schedule);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
        return new FiringRequested(schedule, "requested", "/api/v1/firings?schedule=" + schedule);
    }

    /**
     * The answer to {@code POST /api/v1/schedules/NAME/run}.
     *
     * @param schedule the schedule
     * @param status   {@code requested}: it fires as soon as a running firing of it has finished
     * @param url      where its firings are listed
     */
    record FiringRequested(String schedule, String status, String url) {
    }
}
