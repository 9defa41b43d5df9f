-- metaload metadata store, version 6: a load's SLA, and whether a run put it at risk or missed it.

ALTER TABLE load_definition ADD sla VARCHAR(64);
ALTER TABLE load_run ADD sla_state VARCHAR(16);
