ALTER TABLE `positions` ADD `close_walk` text;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `limit_walk` text;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `limit_floor` real;