ALTER TABLE `recommendations` ADD `mid_credit` real;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `natural_credit` real;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `edge` real;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `reference_volatility` real;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `profit_at_exit_probability` real;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `iv_rank_days` integer;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `quotes_at` integer;