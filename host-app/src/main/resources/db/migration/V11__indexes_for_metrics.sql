-- cairn serve's metrics observe every restore and verify any process records, once each: at each scrape
-- they read the rows that ended since the last scrape, by when they ended. These indexes make that a
-- range read of the few new rows, however many restores and verifies the catalog holds.
CREATE INDEX restores_by_end ON restores (finished_at, id);
CREATE INDEX verifications_by_end ON verifications (finished_at, id);
