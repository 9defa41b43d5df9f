-- metaload metadata store, version 2: restartable runs and one run per load at a time.
-- ${blob} is the database's binary large object type.

ALTER TABLE load_run ADD attempt INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE load_run ADD heartbeat_at ${ts};
ALTER TABLE load_run ADD carried_batches BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE load_run ADD carried_rows BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE load_run ADD plan ${blob};

ALTER TABLE load_batch ADD attempt INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE load_batch ADD retries INTEGER DEFAULT 0 NOT NULL;

-- One row per load while a run holds it; a holder whose heartbeat is stale has died.
CREATE TABLE load_lock (
  load_name    VARCHAR(128) NOT NULL PRIMARY KEY,
  run_id       BIGINT       NOT NULL,
  owner        VARCHAR(200) NOT NULL,
  acquired_at  ${ts}        NOT NULL,
  heartbeat_at ${ts}        NOT NULL
);
