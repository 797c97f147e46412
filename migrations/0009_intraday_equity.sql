-- The monitor's equity in D1 (issue 16): the Approve claim reads today's recorded equity in its
-- own batch, so nothing but that one D1 round trip comes before the click's answer (it was a KV
-- read). One row a trading day, replaced by each monitor run.
CREATE TABLE `intraday_equity` (
	`trading_day` text PRIMARY KEY NOT NULL,
	`equity` real NOT NULL,
	`recorded_at` integer NOT NULL
);
