-- A firing of a schedule runs once, whichever host fires it: the catalog refuses a second run of one schedule for
-- the same due time. Quartz's clustering promises this too, but after a database outage two hosts can both think
-- they hold the same trigger; the row a firing writes before it backs anything up is the arbiter. (Firings
-- recorded before due_at existed have none, and NULLs do not collide.)

CREATE UNIQUE INDEX schedule_runs_once_per_due_time ON schedule_runs (schedule, due_at);
