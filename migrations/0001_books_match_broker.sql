CREATE TABLE `broker_activities` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`symbol` text NOT NULL,
	`qty` real NOT NULL,
	`activity_date` text NOT NULL,
	`position_id` integer,
	`booked_at` integer NOT NULL,
	CONSTRAINT "broker_activities_kind_check" CHECK(kind in ('expired', 'assigned', 'exercised'))
);
--> statement-breakpoint
ALTER TABLE `positions` ADD `opened_contracts` integer;--> statement-breakpoint
ALTER TABLE `positions` ADD `exit_alert_at` integer;--> statement-breakpoint
ALTER TABLE `positions` ADD `expiry_alert_at` integer;--> statement-breakpoint
ALTER TABLE `positions` ADD `close_booked_qty` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `positions` ADD `attention` text;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `filled_contracts` integer;--> statement-breakpoint
ALTER TABLE `trades` ADD `filled_qty` integer DEFAULT 0 NOT NULL;