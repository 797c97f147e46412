ALTER TABLE `positions` ADD `shares` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `positions` ADD `shares_mark` real;--> statement-breakpoint
ALTER TABLE `positions` ADD `flatten_client_order_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `positions_flatten_client_order_id_unique` ON `positions` (`flatten_client_order_id`);