-- metaload metadata store, version 12: data contracts. Each import that changes a load's
-- contract adds a version; runs keep the version they planned with (in their plan). Checks
-- whose values are not whole numbers (shares, dates) record them as text.

CREATE TABLE load_contract (
  load_name   VARCHAR(128) NOT NULL,
  version     INTEGER      NOT NULL,
  body        ${blob}      NOT NULL,
  created_at  ${ts}        NOT NULL,
  PRIMARY KEY (load_name, version)
);

ALTER TABLE load_validation ADD expected_text VARCHAR(200);
ALTER TABLE load_validation ADD actual_text VARCHAR(200);
