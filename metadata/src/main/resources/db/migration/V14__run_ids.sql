-- metaload metadata store, version 14: run ids come from one counter row, incremented under its row
-- lock in a transaction of its own, so launchers starting runs at once never pick the same id.

CREATE TABLE load_run_ids (
  id       INTEGER NOT NULL PRIMARY KEY,
  last_id  BIGINT  NOT NULL
);

INSERT INTO load_run_ids (id, last_id) SELECT 1, COALESCE(MAX(run_id), 0) FROM load_run;
