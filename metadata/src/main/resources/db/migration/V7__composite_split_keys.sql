-- metaload metadata store, version 7: the split key's columns after the first, for composite
-- split keys (splitKey: [tenant_id, id]), as a JSON list; NULL for a single-column split key.

ALTER TABLE load_definition ADD split_key_more VARCHAR(4000);
