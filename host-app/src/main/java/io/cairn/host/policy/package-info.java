/**
 * Pure policies: given a volume's backup history, the rules of its schedule and the time, decide
 * what to do next. Nothing here reads the catalog, the clock or a backend; the host maps its catalog
 * rows onto {@link io.cairn.host.policy.BackupEntry} and acts on the decisions.
 *
 * <ul>
 *   <li>{@link io.cairn.host.policy.ChainPolicy}: full or incremental for the next backup, and from
 *       which parent ({@code full_every}, {@code full_after}).</li>
 *   <li>{@link io.cairn.host.policy.RetentionPolicy}: which backups to keep and which to remove
 *       ({@code keep_last} ... {@code keep_yearly}, as Proxmox Backup Server prunes).</li>
 * </ul>
 */
package io.cairn.host.policy;
