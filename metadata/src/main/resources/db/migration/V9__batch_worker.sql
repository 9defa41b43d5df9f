-- metaload metadata store, version 9: which process wrote each batch (host:pid of the launcher or the
-- Flink TaskManager); NULL for batches recorded before this version or recovered from a target ledger.

ALTER TABLE load_batch ADD worker VARCHAR(200);
