-- metaload metadata store, version 5: every read unit of every attempt, so the protocol shows
-- how evenly a run's work was cut (rows per unit are the batches that started in its range).

CREATE TABLE load_read_unit (
  run_id         BIGINT   NOT NULL,
  attempt        INTEGER  NOT NULL,
  partition_id   INTEGER  NOT NULL,
  unit_index     INTEGER  NOT NULL,
  key_from       BIGINT   NOT NULL,
  key_to         BIGINT   NOT NULL,
  estimated_rows BIGINT   NOT NULL,
  PRIMARY KEY (run_id, attempt, partition_id, unit_index)
);
