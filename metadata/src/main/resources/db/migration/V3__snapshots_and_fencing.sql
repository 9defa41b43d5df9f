-- metaload metadata store, version 3: a run's identity outside this store (the target's
-- publication log records it), the source snapshot a run reads in, and the lock token that
-- published it.

ALTER TABLE load_run ADD run_uid VARCHAR(36);
ALTER TABLE load_run ADD source_snapshot VARCHAR(64);
ALTER TABLE load_run ADD lock_token VARCHAR(200);
