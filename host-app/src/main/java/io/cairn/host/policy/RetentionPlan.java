package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link RetentionPolicy#evaluate}: one decision for every backup of the history that
 * still exists (every status but {@code deleted}), newest first.
 *
 * @param decisions newest first, in {@link BackupEntry#NEWEST_FIRST} order
 */
public record RetentionPlan(List<RetentionDecision> decisions) {

    public RetentionPlan {
        decisions = List.copyOf(Objects.requireNonNull(decisions, "decisions is null"));
    }

    /** The backups that stay, newest first. */
    public List<RetentionDecision> kept() {
        return decisions.stream().filter(RetentionDecision::keep).toList();
    }

    /** The backups to remove, newest first. */
    public List<RetentionDecision> removed() {
        return decisions.stream().filter(decision -> !decision.keep()).toList();
    }

    /** The decision on one backup; empty when the backup was not in the history or is already deleted. */
    public Optional<RetentionDecision> decisionFor(BackupId id) {
        Objects.requireNonNull(id, "id is null");
        return decisions.stream().filter(decision -> decision.backup().id().equals(id)).findFirst();
    }
}
