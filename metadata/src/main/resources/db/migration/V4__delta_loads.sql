-- metaload metadata store, version 4: windowed delta loads. A definition names the column its
-- windows run along, the lookback and the fence's margin and wait; a run records its window.

ALTER TABLE load_definition ADD delta_column VARCHAR(128);
ALTER TABLE load_definition ADD delta_lookback VARCHAR(64);
ALTER TABLE load_definition ADD fence_margin VARCHAR(64) DEFAULT '0s' NOT NULL;
ALTER TABLE load_definition ADD fence_wait VARCHAR(64) DEFAULT '60s' NOT NULL;

ALTER TABLE load_run ADD window_low VARCHAR(64);
ALTER TABLE load_run ADD window_high VARCHAR(64);
