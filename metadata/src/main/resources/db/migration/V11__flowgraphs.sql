-- metaload metadata store, version 11: flowgraphs as metadata. Each import that changes a
-- flowgraph's steps adds a version; runs keep the version they planned with (in their plan).
-- Loads may tolerate some rejected rows; a reject names its load and partition.

CREATE TABLE flowgraph_definition (
  name        VARCHAR(128) NOT NULL,
  version     INTEGER      NOT NULL,
  steps       ${blob}      NOT NULL,
  created_at  ${ts}        NOT NULL,
  PRIMARY KEY (name, version)
);

ALTER TABLE load_definition ADD max_rejects BIGINT;
ALTER TABLE load_definition ADD max_reject_share VARCHAR(32);

ALTER TABLE load_reject ADD load_name VARCHAR(128);
ALTER TABLE load_reject ADD partition_id INTEGER;
