package io.cairn.ceph.testing;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.CephBackendDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Ceph operation run in a JVM of its own, so a test can SIGKILL it at a chosen moment - the way a
 * host process dies - and then look at what it left. The child reports on stdout, one line each:
 * {@code snapshot <name> <identity> <size>}, {@code record <kind> <name> <identity>} (the resource
 * journal, as the host would have stored it), {@code progress <done> <total>}, {@code stopped} (it
 * reached the requested point and waits to be killed) and {@code done}.
 */
public final class KillableOperation implements AutoCloseable {

    /** Stop point of {@link #transfer}: after the transfer returned, before the host could record it. */
    public static final String AFTER_TRANSFER = "after-transfer";

    private final Process process;
    private final BufferedReader out;
    private final List<String> lines = new ArrayList<>();

    private KillableOperation(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts an incremental backup of {@code volume} from {@code parent} that stops (and waits to be
     * killed) right after the journal recorded {@code stopAfterKind} with its identity, or, with
     * {@link #AFTER_TRANSFER}, once the transfer returned.
     */
    public static KillableOperation transfer(TestCluster cluster, String volume, BackupId id, BackupRef parent,
                                             String stopAfterKind) {
        List<String> args = new ArrayList<>(List.of("transfer", cluster.conf().toString(), volume, id.value(),
                stopAfterKind, parent.id().value(), parent.snapshot().orElseThrow().name(),
                parent.snapshot().get().identity()));
        parent.metadata().entries().forEach((key, value) -> args.add(key + "=" + value));
        return start(args);
    }

    /**
     * Starts an overwriting restore of {@code backup} into {@code target} that stops (and waits to be
     * killed) at its first progress report past zero and short of the end. One IO at a time of 64 KiB,
     * so a restore of some MiB is still under way then.
     */
    public static KillableOperation restore(TestCluster cluster, BackupRef backup, String target) {
        List<String> args = new ArrayList<>(List.of("restore", cluster.conf().toString(), backup.volume().locator(),
                backup.id().value(), target));
        backup.metadata().entries().forEach((key, value) -> args.add(key + "=" + value));
        return start(args);
    }

    private static KillableOperation start(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), KillableOperation.class.getName()));
        command.addAll(args);
        try {
            return new KillableOperation(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the child's output until it says {@code stopped}, then kills it with SIGKILL.
     *
     * @throws AssertionError when the child ended or said {@code done} first
     */
    public List<String> killWhenStopped(long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("stopped")) {
                    process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                    process.waitFor(30, TimeUnit.SECONDS);
                    return List.copyOf(lines);
                }
                if (line.equals("done") || System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process.destroyForcibly();
        throw new AssertionError("the child operation never reached the point to kill it at: " + lines);
    }

    /** The resources the child's journal recorded, as the host's catalog holds them after the kill. */
    public List<StoredResource> journal() {
        RecordingJournal journal = new RecordingJournal();
        for (String line : lines) {
            String[] fields = line.split(" ", -1);
            if (fields[0].equals("record")) {
                journal.record(new StoredResource(fields[1], fields[2], fields.length > 3 ? fields[3] : ""));
            }
        }
        return journal.resources();
    }

    /** The snapshot the child took. */
    public VolumeSnapshot snapshot(BackupId id, String volume) {
        for (String line : lines) {
            String[] fields = line.split(" ", -1);
            if (fields[0].equals("snapshot")) {
                return new VolumeSnapshot(id, new VolumeRef(volume), fields[1], Long.parseLong(fields[3]),
                        Instant.EPOCH, fields[2]);
            }
        }
        throw new AssertionError("the child took no snapshot: " + lines);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The child's side. */
    public static void main(String[] args) throws Exception {
        Map<String, Object> options = new HashMap<>(Map.of("conf", args[1], "user", "admin", "pool", "backups"));
        if (args[0].equals("restore")) {
            options.put("parallel_ios", 1);
            options.put("chunk_size", "64KiB");
        }
        CephBackendDescriptor descriptor = new CephBackendDescriptor();
        try (BackendSession session = descriptor.open("child", descriptor.options().validate(options))) {
            if (args[0].equals("transfer")) {
                runTransfer(session, args);
            } else {
                runRestore(session, args);
            }
        }
        say("done");
    }

    private static void runTransfer(BackendSession session, String[] args) {
        VolumeRef volume = new VolumeRef(args[2]);
        BackupId id = new BackupId(args[3]);
        String stopAfterKind = args[4];
        BackupId parentId = new BackupId(args[5]);
        VolumeSnapshot parentSnapshot = new VolumeSnapshot(parentId, volume, args[6], 0, Instant.EPOCH, args[7]);
        BackupRef parent = new BackupRef(parentId, volume, metadata(args, 8), Optional.of(parentSnapshot), List.of());
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, volume));
        say("snapshot " + snapshot.name() + " " + snapshot.identity() + " " + snapshot.sizeBytes());
        session.transfers().transfer(new TransferRequest(snapshot, Optional.of(parent), Map.of(), ProgressListener.NONE,
                resource -> {
                    say("record " + resource.kind() + " " + resource.name() + " " + resource.identity());
                    if (resource.kind().equals(stopAfterKind) && resource.hasIdentity()) {
                        stopHere();
                    }
                }));
        if (stopAfterKind.equals(AFTER_TRANSFER)) {
            stopHere();
        }
    }

    private static void runRestore(BackendSession session, String[] args) {
        VolumeRef volume = new VolumeRef(args[2]);
        BackupRef backup = new BackupRef(new BackupId(args[3]), volume, metadata(args, 5));
        session.restores().restore(new RestoreRequest(backup, new VolumeRef(args[4]), true, (done, total) -> {
            say("progress " + done + " " + total);
            if (done > 0 && done < total) {
                stopHere();
            }
        }));
    }

    private static ServiceMetadata metadata(String[] args, int from) {
        Map<String, String> entries = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            entries.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return new ServiceMetadata(entries);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void stopHere() {
        say("stopped");
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
