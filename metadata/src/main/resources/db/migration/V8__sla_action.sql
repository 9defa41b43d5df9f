-- metaload metadata store, version 8: what a missed SLA does ('warn', the default when NULL, or 'fail').

ALTER TABLE load_definition ADD sla_action VARCHAR(16);
