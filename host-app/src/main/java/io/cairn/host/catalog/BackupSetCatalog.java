package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.host.catalog.BackupSetRecord.Image;
import io.cairn.host.catalog.BackupSetRecord.Member;
import io.cairn.host.catalog.BackupSetRecord.RecordedGroupSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Backup sets in tables {@code backup_sets} and {@code backup_set_members} (migration {@code V9}): which
 * backups were taken together, from which group snapshot, and whether the set as a whole is available.
 * Status changes are compare-and-set, as for backups.
 */
public final class BackupSetCatalog {

    private static final String COLUMNS = "id, cluster, series, group_name, status, started_at, finished_at,"
            + " error_reason, group_snapshot, group_snapshot_identity, group_snapshot_taken_at, group_snapshot_state";
    private static final String HELD = "held";
    private static final String REMOVED = "removed";
    private static final int MINIMUM_PREFIX = 4;

    private final CatalogDatabase database;

    public BackupSetCatalog(CatalogDatabase database) {
        this.database = database;
    }

    /** Records a new set, before its members. */
    public void insert(BackupSetRecord set) {
        database.run("record backup set " + set.id(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backup_sets (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, set.id());
                insert.setString(2, set.cluster());
                insert.setString(3, set.series());
                insert.setString(4, set.group().orElse(null));
                insert.setString(5, set.status().label());
                database.bindInstant(insert, 6, set.startedAt());
                database.bindInstant(insert, 7, set.finishedAt().orElse(null));
                insert.setString(8, set.error().orElse(null));
                RecordedGroupSnapshot snapshot = set.groupSnapshot().orElse(null);
                insert.setString(9, snapshot == null ? null : snapshot.name());
                insert.setString(10, snapshot == null ? null : snapshot.identity());
                database.bindInstant(insert, 11, snapshot == null ? null : snapshot.takenAt());
                insert.setString(12, snapshot == null ? null : snapshot.held() ? HELD : REMOVED);
                insert.executeUpdate();
            }
            for (Member member : set.members()) {
                insertMember(connection, set.id(), member);
            }
            return null;
        });
    }

    /** Records a member; its backup record must exist. */
    public void addMember(String setId, Member member) {
        database.run("record member " + member.backupId() + " of backup set " + setId, connection -> {
            insertMember(connection, setId, member);
            return null;
        });
    }

    private static void insertMember(Connection connection, String setId, Member member) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backup_set_members (set_id, position,"
                + " volume, backup_id, group_image, group_image_identity) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, setId);
            insert.setInt(2, member.position());
            insert.setString(3, member.volume().locator());
            insert.setString(4, member.backupId().value());
            insert.setString(5, member.groupImage().map(Image::name).orElse(null));
            insert.setString(6, member.groupImage().map(Image::identity).orElse(null));
            insert.executeUpdate();
        }
    }

    /**
     * Records the name the set's group snapshot will have, held and with no identity yet, before the backend makes
     * it: a process killed while it is made leaves this record, by which the set's clean-up removes it.
     */
    public void recordIntendedGroupSnapshot(String setId, Optional<String> group, String name, Instant at) {
        recordGroupSnapshot(setId, new GroupSnapshot(setId, group, name, "", at, List.of()));
    }

    /** Records the set's group snapshot as held, and each member's image in it. */
    public void recordGroupSnapshot(String setId, GroupSnapshot snapshot) {
        database.run("record the group snapshot of backup set " + setId, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE backup_sets SET group_snapshot = ?,"
                    + " group_snapshot_identity = ?, group_snapshot_taken_at = ?, group_snapshot_state = ? WHERE id = ?")) {
                update.setString(1, snapshot.name());
                update.setString(2, snapshot.identity());
                database.bindInstant(update, 3, snapshot.createdAt());
                update.setString(4, HELD);
                update.setString(5, setId);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE backup_set_members SET group_image = ?,"
                    + " group_image_identity = ? WHERE set_id = ? AND backup_id = ?")) {
                for (VolumeSnapshot image : snapshot.members()) {
                    update.setString(1, image.name());
                    update.setString(2, image.identity());
                    update.setString(3, setId);
                    update.setString(4, image.backupId().value());
                    update.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Records that the set's group snapshot is removed from the source. */
    public void groupSnapshotRemoved(String setId) {
        database.run("record the group snapshot of backup set " + setId + " removed", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE backup_sets SET group_snapshot_state = ?"
                    + " WHERE id = ? AND group_snapshot IS NOT NULL")) {
                update.setString(1, REMOVED);
                update.setString(2, setId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Moves the set from {@code expected} to the record's status, finish time and error.
     *
     * @return false when the set was not {@code expected} (another process moved it on)
     */
    public boolean update(BackupSetRecord set, BackupStatus expected) {
        return database.run("update backup set " + set.id(), connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE backup_sets SET status = ?,"
                    + " finished_at = ?, error_reason = ? WHERE id = ? AND status = ?")) {
                update.setString(1, set.status().label());
                database.bindInstant(update, 2, set.finishedAt().orElse(null));
                update.setString(3, set.error().orElse(null));
                update.setString(4, set.id());
                update.setString(5, expected.label());
                return update.executeUpdate() == 1;
            }
        });
    }

    public Optional<BackupSetRecord> find(String id) {
        List<BackupSetRecord> found = query("read backup set " + id, "WHERE id = ?", List.of(id));
        return found.stream().findFirst();
    }

    /**
     * A set by its full id or a unique prefix of at least four characters.
     *
     * @throws BackupNotFoundException naming what was looked for
     */
    public BackupSetRecord resolve(String idOrPrefix) {
        String text = idOrPrefix.trim().toLowerCase(Locale.ROOT);
        if (text.length() < MINIMUM_PREFIX || !text.matches("[a-z0-9-]+")) {
            throw new BackupNotFoundException("no backup set '" + idOrPrefix + "' (give an id from `cairn list --sets`,"
                    + " or at least its first " + MINIMUM_PREFIX + " characters)");
        }
        List<BackupSetRecord> matches = query("look up backup set " + text, "WHERE id >= ? AND id < ?",
                List.of(text, text + "~"));
        Optional<BackupSetRecord> exact = matches.stream().filter(set -> set.id().equals(text)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        if (matches.size() != 1) {
            throw new BackupNotFoundException(matches.isEmpty() ? "no backup set '" + idOrPrefix + "' in the catalog"
                    : "backup set id prefix '" + idOrPrefix + "' fits " + matches.size() + " sets; give more of the id");
        }
        return matches.get(0);
    }

    /** Sets, oldest first: of one cluster or all; deleted and expiring ones only when asked. */
    public List<BackupSetRecord> list(Optional<String> cluster, boolean withDeleted) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        cluster.ifPresent(name -> {
            where.append(" AND cluster = ?");
            arguments.add(name);
        });
        if (!withDeleted) {
            where.append(" AND status NOT IN (?, ?)");
            arguments.add(BackupStatus.DELETED.label());
            arguments.add(BackupStatus.EXPIRING.label());
        }
        return query("list backup sets", where.toString(), arguments);
    }

    /** Sets deleted with a grace and not purged yet, oldest first: of one cluster or all. */
    public List<BackupSetRecord> expiring(Optional<String> cluster) {
        List<Object> arguments = new ArrayList<>(List.of(BackupStatus.EXPIRING.label()));
        cluster.ifPresent(arguments::add);
        return query("read expiring backup sets", "WHERE status = ?" + (cluster.isPresent() ? " AND cluster = ?" : ""),
                arguments);
    }

    /** Every set of one series on one cluster, oldest first (what retention decides over). */
    public List<BackupSetRecord> series(String cluster, String series) {
        return query("read the sets of " + series, "WHERE cluster = ? AND series = ?", List.of(cluster, series));
    }

    /** Sets still {@code creating} or {@code deleting}, oldest first: what a process that died may have left. */
    public List<BackupSetRecord> unfinished() {
        return query("read unfinished backup sets", "WHERE status IN (?, ?)",
                List.of(BackupStatus.CREATING.label(), BackupStatus.DELETING.label()));
    }

    /** The set each of these backups is a member of, for those that are members. */
    public Map<BackupId, String> setsOf(Collection<BackupId> backups) {
        if (backups.isEmpty()) {
            return Map.of();
        }
        Map<BackupId, String> sets = new HashMap<>();
        List<BackupId> all = List.copyOf(backups);
        // In chunks: every database takes a few hundred parameters in one IN list.
        for (int from = 0; from < all.size(); from += 500) {
            List<BackupId> chunk = all.subList(from, Math.min(all.size(), from + 500));
            database.run("read the sets of " + chunk.size() + " backups", connection -> {
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, set_id FROM"
                        + " backup_set_members WHERE backup_id IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        statement.setString(i + 1, chunk.get(i).value());
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            sets.put(new BackupId(rows.getString(1)), rows.getString(2));
                        }
                    }
                }
                return null;
            });
        }
        return sets;
    }

    /** The set a backup is a member of. */
    public Optional<String> setOf(BackupId backup) {
        return Optional.ofNullable(setsOf(List.of(backup)).get(backup));
    }

    private List<BackupSetRecord> query(String what, String where, List<?> arguments) {
        return database.run(what, connection -> {
            Map<String, BackupSetRecord> sets = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM backup_sets "
                    + where + " ORDER BY started_at, id")) {
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setString(i + 1, arguments.get(i).toString());
                }
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        BackupSetRecord set = read(row);
                        sets.put(set.id(), set);
                    }
                }
            }
            if (sets.isEmpty()) {
                return List.<BackupSetRecord>of();
            }
            Map<String, List<Member>> members = members(connection, where, arguments);
            List<BackupSetRecord> result = new ArrayList<>();
            for (BackupSetRecord set : sets.values()) {
                result.add(new BackupSetRecord(set.id(), set.cluster(), set.series(), set.group(), set.status(),
                        set.startedAt(), set.finishedAt(), set.error(), set.groupSnapshot(),
                        members.getOrDefault(set.id(), List.of())));
            }
            return result;
        });
    }

    private Map<String, List<Member>> members(Connection connection, String where, List<?> arguments)
            throws SQLException {
        Map<String, List<Member>> members = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_id, position, volume, backup_id,"
                + " group_image, group_image_identity FROM backup_set_members WHERE set_id IN (SELECT id FROM"
                + " backup_sets " + where + ") ORDER BY set_id, position")) {
            for (int i = 0; i < arguments.size(); i++) {
                statement.setString(i + 1, arguments.get(i).toString());
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String image = row.getString("group_image");
                    Optional<Image> groupImage = image == null ? Optional.empty()
                            : Optional.of(new Image(image, nullToEmpty(row.getString("group_image_identity"))));
                    members.computeIfAbsent(row.getString("set_id"), id -> new ArrayList<>()).add(new Member(
                            row.getInt("position"), new VolumeRef(row.getString("volume")),
                            new BackupId(row.getString("backup_id")), groupImage));
                }
            }
        }
        return members;
    }

    private BackupSetRecord read(ResultSet row) throws SQLException {
        String snapshotName = row.getString("group_snapshot");
        Optional<RecordedGroupSnapshot> snapshot = snapshotName == null ? Optional.empty()
                : Optional.of(new RecordedGroupSnapshot(snapshotName, nullToEmpty(row.getString("group_snapshot_identity")),
                        database.readInstant(row, "group_snapshot_taken_at"),
                        HELD.equals(row.getString("group_snapshot_state"))));
        return new BackupSetRecord(row.getString("id"), row.getString("cluster"), row.getString("series"),
                Optional.ofNullable(row.getString("group_name")), BackupStatus.fromLabel(row.getString("status")),
                database.readInstant(row, "started_at"), Optional.ofNullable(database.readInstant(row, "finished_at")),
                Optional.ofNullable(row.getString("error_reason")), snapshot, List.of());
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
