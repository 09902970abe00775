package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.host.testing.CliRun;
import java.util.Optional;

/**
 * {@code cairn delete ID} of an available backup, of one that failed, or of one already deleted (which
 * succeeds with a note). Afterwards the backup is {@code deleted}, and nothing of it is left in its backup
 * pool or on its source volume - which the invariants check.
 */
final class DeleteOp implements Operation {

    private final ModelWorld world;
    private final Model model;
    private final ModelBackup backup;

    DeleteOp(ModelWorld world, Model model, ModelBackup backup) {
        this.world = world;
        this.model = model;
        this.backup = backup;
    }

    @Override
    public String kind() {
        return "delete";
    }

    @Override
    public String describe() {
        return "delete " + backup;
    }

    @Override
    public String[] args() {
        return new String[] {"delete", backup.id(), "--json"};
    }

    @Override
    public String expect(CliRun run) {
        if (run.exitCode() != 0) {
            Optional<String> busy = BusyDeletes.busyImage(run.err());
            if (busy.isPresent()) {
                return new BusyDeletes(world, model).finish(backup, busy.get(), run.toString());
            }
            throw new AssertionError(describe() + " failed: " + run);
        }
        String status = Invariants.text(ModelWorld.parse(run.out()), "status");
        if (!"deleted".equals(status)) {
            throw new AssertionError(describe() + " printed status " + status + ": " + run);
        }
        model.deleted(backup);
        model.noticedGone(java.util.List.of(backup));
        return "deleted";
    }

    @Override
    public String killed() {
        JsonNode record = world.catalog().stream().filter(r -> backup.id().equals(Invariants.text(r, "id"))).findFirst()
                .orElseThrow(() -> new AssertionError("backup " + backup + " is gone from the catalog"));
        String status = Invariants.text(record, "status");
        switch (status) {
            case "available", "error" -> {
                // Killed before it marked the backup deleting: nothing was touched.
                String expected = backup.status().name().toLowerCase();
                if (!status.equals(expected)) {
                    throw new AssertionError("killed " + describe() + " left it " + status);
                }
            }
            case "deleting", "deleted" -> {
                // Recovery finishes the delete.
                model.deleted(backup);
                model.noticedGone(java.util.List.of(backup));
            }
            default -> throw new AssertionError("killed " + describe() + " left it " + status);
        }
        return "backup " + status;
    }

    @Override
    public Scope scope() {
        return Scope.nothing().volume(backup.volume()).cluster(backup.cluster());
    }

    ModelBackup backup() {
        return backup;
    }
}
