// Cairn's dashboard: reads the JSON API of this cairn serve and draws it, again every few seconds
// (?refresh=SECONDS, default 15). Read-only: it never sends anything but GET. Every text from the
// catalog goes in through textContent, never as HTML.
"use strict";

const REFRESH_SECONDS = Math.max(2, Number(new URLSearchParams(location.search).get("refresh")) || 15);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function bytes(n) {
  if (n === null || n === undefined) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)) + " " + units[unit];
}

function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return "";
  if (seconds < 60) return seconds.toFixed(seconds < 10 ? 1 : 0) + " s";
  if (seconds < 3600) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + " h";
  return Math.round(seconds / 86400) + " d";
}

function took(from, to) {
  return from && to ? duration((Date.parse(to) - Date.parse(from)) / 1000) : "";
}

function relative(iso) {
  if (!iso) return "never";
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  return seconds >= 0 ? "in " + duration(seconds) : duration(-seconds) + " ago";
}

function when(iso) {
  const node = el("span", null, relative(iso));
  if (iso) node.title = new Date(iso).toLocaleString();
  return node;
}

function statusBadge(status) {
  const kind = { ok: "ok", available: "ok", partial: "warn", running: "run", creating: "run",
    failed: "bad", error: "bad", interrupted: "bad", corrupt: "bad", expiring: "warn", foreign: "" }[status] || "";
  return el("span", "badge " + kind, status);
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  const body = await response.json();
  if (!response.ok && path !== "/healthz") throw new Error(path + ": " + (body.error || response.status));
  return body;
}

// How urgent a volume is, for failures-first ordering: 2 its newest backup failed or it has no available
// backup, 1 a verify found one of its backups corrupt, 0 fine. (Expiring and deleted backups are not listed.)
function failing(volume) {
  if (volume.newest_status === "error" || !volume.newest_available) return 2;
  return corrupt(volume).length ? 1 : 0;
}

function corrupt(volume) {
  return volume.chains.flatMap(chain => chain.backups).filter(backup => backup.status === "corrupt");
}

function renderHealth(health) {
  const badge = document.getElementById("health");
  badge.className = "badge " + (health.status === "ok" ? "ok" : "bad");
  badge.textContent = health.status === "ok" ? "healthy" : "unhealthy: " + health.reason;
}

function renderProblems(volumes, schedules) {
  const list = document.getElementById("problems");
  list.replaceChildren();
  for (const s of schedules) {
    if (s.last_run && ["failed", "partial", "interrupted"].includes(s.last_run.status)) {
      list.append(el("li", null, "schedule " + s.name + ": last run " + s.last_run.status + " "
          + relative(s.last_run.fired_at) + " - " + s.last_run.summary));
    }
  }
  for (const v of [...volumes].sort((a, b) => failing(b) - failing(a))) {
    if (v.newest_status === "error") {
      const chains = v.chains[v.chains.length - 1];
      const newest = chains.backups[chains.backups.length - 1];
      list.append(el("li", null, v.cluster + " " + v.volume + ": the newest backup failed "
          + relative(newest.created_at) + " - " + (newest.error || "")));
    } else if (!v.newest_available) {
      list.append(el("li", null, v.cluster + " " + v.volume + ": no available backup"));
    }
    const damaged = corrupt(v);
    if (damaged.length) {
      list.append(el("li", null, v.cluster + " " + v.volume + ": " + damaged.length + " corrupt backup"
          + (damaged.length === 1 ? "" : "s") + " (a verify found damage; restoring needs --force): "
          + damaged.map(b => b.id.substring(0, 8)).join(", ")));
    }
    if (v.retention_error) {
      list.append(el("li", null, v.cluster + " " + v.volume + ": retention cannot be decided - " + v.retention_error));
    }
  }
  if (!list.children.length) list.append(el("li", "none", "Nothing failed."));
}

function renderSchedules(schedules) {
  const body = document.querySelector("#schedules tbody");
  body.replaceChildren();
  const order = s => (s.last_run && ["failed", "partial", "interrupted"].includes(s.last_run.status) ? 0 : 1);
  for (const s of [...schedules].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name))) {
    const row = el("tr");
    row.dataset.schedule = s.name;
    row.append(el("td", null, s.name), el("td", null, s.cluster),
        el("td", null, s.cron + " (" + s.time_zone + ")"), el("td", null, s.volumes.join(", ")));
    const last = el("td", "summary");
    if (s.last_run) {
      last.append(statusBadge(s.last_run.status), " ", when(s.last_run.fired_at),
          el("div", "muted", s.last_run.summary));
    } else {
      last.append(el("span", "muted", "never fired"));
    }
    row.append(last, el("td", null));
    row.lastChild.append(when(s.next_firing));
    body.append(row);
  }
  if (!schedules.length) {
    const row = el("tr");
    row.append(el("td", "muted", "no schedules"));
    body.append(row);
  }
}

function renderBackup(backup, verdict) {
  const box = el("div", ["backup", backup.kind, backup.status, verdict && verdict.decision === "remove" ? "remove" : ""]
      .join(" ").trim());
  box.dataset.backupId = backup.id;
  box.dataset.status = backup.status;
  if (backup.set) box.dataset.set = backup.set;
  box.title = [backup.id, backup.reason, backup.error, verdict ? "retention: " + verdict.decision + " (" + verdict.reason + ")" : ""]
      .filter(Boolean).join("\n");
  box.append(el("div", "id", backup.id.substring(0, 8)));
  box.append(el("div", null, backup.kind + " · " + backup.status));
  box.append(el("div", null, relative(backup.created_at)));
  if (backup.status === "corrupt") box.append(el("div", "flag", "a verify found damage"));
  if (backup.set) box.append(el("div", "muted", "set " + backup.set.substring(0, 8)));
  if (backup.status === "available" || backup.status === "corrupt") {
    box.append(el("div", null, bytes(backup.bytes_written) + " in " + took(backup.created_at, backup.finished_at)));
  }
  if (verdict) box.append(el("div", "muted", verdict.decision === "keep" ? "kept: " + verdict.reason : "retention removes it"));
  return box;
}

function renderVolumes(volumes) {
  const container = document.getElementById("volumes");
  container.replaceChildren();
  const sorted = [...volumes].sort((a, b) => (failing(b) - failing(a)) || a.cluster.localeCompare(b.cluster)
      || a.volume.localeCompare(b.volume));
  for (const v of sorted) {
    const section = el("section", "volume" + ["", " damaged", " failing"][failing(v)]);
    section.dataset.volume = v.volume;
    section.dataset.cluster = v.cluster;
    section.append(el("h3", null, v.volume));
    const facts = [v.cluster, v.schedule ? "schedule " + v.schedule : "no schedule",
      "newest available backup " + relative(v.newest_available)];
    section.append(el("p", "facts", facts.join(" · ")));
    for (const chain of [...v.chains].reverse()) {
      const row = el("div", "chain");
      row.dataset.chain = chain.chain;
      row.append(el("div", "label", "chain " + chain.chain.substring(0, 8)));
      for (const backup of chain.backups) row.append(renderBackup(backup, v.retention[backup.id]));
      section.append(row);
    }
    container.append(section);
  }
  if (!volumes.length) container.append(el("p", "muted", "No backups yet."));
}

function renderFirings(firings) {
  const body = document.querySelector("#firings tbody");
  body.replaceChildren();
  for (const f of firings) {
    const row = el("tr");
    const fired = el("td");
    fired.append(when(f.fired_at));
    const result = el("td");
    result.append(statusBadge(f.status));
    row.append(fired, el("td", null, f.schedule), result, el("td", null, took(f.fired_at, f.finished_at)),
        el("td", "summary", f.summary));
    body.append(row);
  }
}

async function refresh() {
  try {
    const [health, volumes, schedules, firings] = await Promise.all([getJson("/healthz"),
      getJson("/api/v1/volumes"), getJson("/api/v1/schedules"), getJson("/api/v1/firings?limit=20")]);
    renderHealth(health);
    renderProblems(volumes, schedules);
    renderSchedules(schedules);
    renderVolumes(volumes);
    renderFirings(firings);
    document.getElementById("refreshed").textContent = "updated " + new Date().toLocaleTimeString()
        + ", every " + REFRESH_SECONDS + " s";
    document.body.dataset.loaded = "true";
  } catch (e) {
    const badge = document.getElementById("health");
    badge.className = "badge bad";
    badge.textContent = "cannot reach cairn serve: " + e.message;
  } finally {
    setTimeout(refresh, REFRESH_SECONDS * 1000);
  }
}

refresh();
