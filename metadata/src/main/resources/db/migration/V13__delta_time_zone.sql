-- metaload metadata store, version 13: the zone a delta column without time zone is stamped in
-- (NULL: the source server's default zone).

ALTER TABLE load_definition ADD delta_time_zone VARCHAR(64);
