-- metaload metadata store, version 3: the source snapshot a run reads in, and the lock token
-- that published it.

ALTER TABLE load_run ADD source_snapshot VARCHAR(64);
ALTER TABLE load_run ADD lock_token VARCHAR(200);
