-- metaload metadata store, version 10: bytes of row data each batch sent to the target (COPY into
-- PostgreSQL); NULL where not measured (INSERT targets, batches recovered from a target ledger).

ALTER TABLE load_batch ADD bytes BIGINT;
