-- When each firing of a schedule was due (the cron expression's time), beside when it started: with several
-- hosts sharing the catalog, each due time must be run by one host only, and this is where that shows.
-- Empty for firings recorded before this column existed.

ALTER TABLE schedule_runs ADD COLUMN due_at TIMESTAMP WITH TIME ZONE;
