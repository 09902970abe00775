package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.host.testing.CliRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cairn prune SCHEDULE}: the schedule's {@code keep_last N} over every volume of its cluster
 * file. The model expects exactly the newest N available backups of each volume kept and every other
 * backup (failed ones too) removed and deleted.
 */
final class PruneOp implements Operation {

    private final ModelWorld world;
    private final Model model;
    private final String schedule;
    private final ModelWorld.Schedule rules;

    PruneOp(ModelWorld world, Model model, String schedule) {
        this.world = world;
        this.model = model;
        this.schedule = schedule;
        this.rules = ModelWorld.SCHEDULES.get(schedule);
    }

    @Override
    public String kind() {
        return "prune";
    }

    @Override
    public String describe() {
        return "prune " + schedule + " (" + rules.cluster() + ", keep_last " + rules.keepLast() + ")";
    }

    @Override
    public String[] args() {
        return new String[] {"prune", schedule, "--json"};
    }

    @Override
    public String expect(CliRun run) {
        if (run.exitCode() != 0) {
            throw new AssertionError(describe() + " failed: " + run);
        }
        Map<String, String> expected = expectedVerdicts();
        Map<String, String> listed = new HashMap<>();
        int removed = 0;
        for (JsonNode volume : ModelWorld.parse(run.out())) {
            for (JsonNode verdict : volume.get("backups")) {
                String id = Invariants.text(verdict, "id");
                String decision = Invariants.text(verdict, "decision");
                listed.put(id, decision);
                if ("remove".equals(decision)) {
                    if (!verdict.get("deleted").asBoolean()) {
                        throw new AssertionError(describe() + " did not delete " + id + ": " + verdict);
                    }
                    model.backup(id).ifPresent(model::deleted);
                    removed++;
                }
            }
        }
        if (!listed.equals(expected)) {
            throw new AssertionError(describe() + " decided " + listed + ", expected " + expected + "\n" + run.out());
        }
        return "removed " + removed + ", kept " + (listed.size() - removed);
    }

    /** Backup id -> keep or remove, for every backup of the cluster file not deleted before. */
    private Map<String, String> expectedVerdicts() {
        Map<String, String> verdicts = new HashMap<>();
        for (String volume : model.volumes()) {
            List<ModelBackup> newestFirst = new ArrayList<>(model.of(rules.cluster(), volume));
            java.util.Collections.reverse(newestFirst);
            int kept = 0;
            for (ModelBackup backup : newestFirst) {
                if (backup.status() == ModelBackup.Status.DELETED) {
                    continue;
                }
                boolean keep = backup.available() && kept < rules.keepLast();
                if (keep) {
                    kept++;
                }
                verdicts.put(backup.id(), keep ? "keep" : "remove");
            }
        }
        return verdicts;
    }

    @Override
    public String killed() {
        int deleted = 0;
        for (JsonNode record : world.catalog()) {
            String status = Invariants.text(record, "status");
            if (rules.cluster().equals(Invariants.text(record, "cluster"))
                    && ("deleting".equals(status) || "deleted".equals(status))) {
                ModelBackup backup = model.backup(Invariants.text(record, "id")).orElseThrow();
                if (backup.status() != ModelBackup.Status.DELETED) {
                    model.deleted(backup);
                    deleted++;
                }
            }
        }
        return deleted + " backups deleting or deleted";
    }

    @Override
    public Scope scope() {
        Scope scope = Scope.nothing().cluster(rules.cluster());
        model.volumes().forEach(scope::volume);
        return scope;
    }
}
