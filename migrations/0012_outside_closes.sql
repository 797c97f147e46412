ALTER TABLE `positions` ADD `realized_at_last_close` real;--> statement-breakpoint
ALTER TABLE `positions` ADD `outside_order_ids` text;--> statement-breakpoint
-- Positions the last end of day recorded: their partial closes so far are taken as realized by then.
UPDATE `positions` SET `realized_at_last_close` = coalesce(`realized_pl`, 0) WHERE `pl_at_last_close_day` IS NOT NULL;
