ALTER TABLE `positions` ADD `pl_at_last_close` real;--> statement-breakpoint
ALTER TABLE `positions` ADD `pl_at_last_close_day` text;--> statement-breakpoint
ALTER TABLE `positions` ADD `close_order_avg` real;