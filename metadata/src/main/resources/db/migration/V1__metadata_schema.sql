-- metaload metadata store, version 1. Portable across H2, PostgreSQL and MariaDB;
-- ${ts} is TIMESTAMP(3) or, on MariaDB, DATETIME(3) (no implicit ON UPDATE).

CREATE TABLE load_definition (
  name               VARCHAR(128)  NOT NULL PRIMARY KEY,
  source_connection  VARCHAR(128)  NOT NULL,
  source_table       VARCHAR(200)  NOT NULL,
  split_key          VARCHAR(128)  NOT NULL,
  partition_strategy VARCHAR(16)   NOT NULL,
  partition_column   VARCHAR(128),
  partition_values   VARCHAR(4000) NOT NULL,
  delta_mode         VARCHAR(16)   NOT NULL,
  batch_size         INTEGER       NOT NULL,
  fetch_size         INTEGER       NOT NULL,
  target_connection  VARCHAR(128)  NOT NULL,
  target_table       VARCHAR(200)  NOT NULL,
  write_mode         VARCHAR(16)   NOT NULL,
  flowgraph          VARCHAR(128)  NOT NULL,
  updated_at         ${ts}         NOT NULL
);

CREATE TABLE load_run (
  run_id        BIGINT        NOT NULL PRIMARY KEY,
  load_name     VARCHAR(128)  NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  runner        VARCHAR(64)   NOT NULL,
  params        VARCHAR(2000),
  target_table  VARCHAR(200)  NOT NULL,
  staging_table VARCHAR(200)  NOT NULL,
  ledger_table  VARCHAR(200)  NOT NULL,
  source_rows   BIGINT        NOT NULL,
  rows_written  BIGINT,
  started_at    ${ts}         NOT NULL,
  ended_at      ${ts},
  message       VARCHAR(4000)
);
CREATE INDEX load_run_by_load ON load_run (load_name, run_id);

CREATE TABLE load_partition (
  run_id         BIGINT        NOT NULL,
  partition_id   INTEGER       NOT NULL,
  description    VARCHAR(1000) NOT NULL,
  key_from       BIGINT        NOT NULL,
  key_to         BIGINT        NOT NULL,
  read_units     INTEGER       NOT NULL,
  source_rows    BIGINT        NOT NULL,
  rows_written   BIGINT,
  status         VARCHAR(16)   NOT NULL,
  PRIMARY KEY (run_id, partition_id)
);

CREATE TABLE load_batch (
  run_id        BIGINT       NOT NULL,
  batch_id      VARCHAR(200) NOT NULL,
  partition_id  INTEGER      NOT NULL,
  key_first     BIGINT       NOT NULL,
  key_last      BIGINT       NOT NULL,
  rows_read     BIGINT       NOT NULL,
  rows_written  BIGINT       NOT NULL,
  rows_rejected BIGINT       NOT NULL,
  started_at    ${ts}        NOT NULL,
  ended_at      ${ts}        NOT NULL,
  PRIMARY KEY (run_id, batch_id)
);
CREATE INDEX load_batch_by_partition ON load_batch (run_id, partition_id);

CREATE TABLE load_reject (
  run_id       BIGINT        NOT NULL,
  batch_id     VARCHAR(200)  NOT NULL,
  row_index    INTEGER       NOT NULL,
  step         VARCHAR(128)  NOT NULL,
  reason       VARCHAR(2000) NOT NULL,
  row_data     VARCHAR(4000) NOT NULL,
  created_at   ${ts}         NOT NULL,
  PRIMARY KEY (run_id, batch_id, row_index)
);

CREATE TABLE load_watermark (
  load_name  VARCHAR(128) NOT NULL PRIMARY KEY,
  watermark  VARCHAR(200) NOT NULL,
  run_id     BIGINT       NOT NULL,
  updated_at ${ts}        NOT NULL
);

CREATE TABLE load_validation (
  run_id       BIGINT      NOT NULL,
  partition_id INTEGER     NOT NULL,
  check_name   VARCHAR(64) NOT NULL,
  expected     BIGINT      NOT NULL,
  actual       BIGINT      NOT NULL,
  passed       BOOLEAN     NOT NULL,
  checked_at   ${ts}       NOT NULL,
  PRIMARY KEY (run_id, partition_id, check_name)
);
