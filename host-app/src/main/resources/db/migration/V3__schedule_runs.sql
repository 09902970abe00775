-- One row per firing of a schedule by `cairn serve`: when it fired, how it ended and a one-line
-- summary, so `cairn schedules` can show each schedule's last result.

CREATE TABLE schedule_runs (
    id           VARCHAR(64)   NOT NULL PRIMARY KEY,
    schedule     VARCHAR(255)  NOT NULL,
    host         VARCHAR(255)  NOT NULL,   -- host/pid that ran it
    fired_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE,
    status       VARCHAR(16)   NOT NULL,   -- running | ok | failed | partial | interrupted
    summary      VARCHAR(4000) NOT NULL
);

CREATE INDEX schedule_runs_by_schedule ON schedule_runs (schedule, fired_at);
