-- The recommendation status 'blocked' is gone (nothing ever set it): the CHECK constraint is
-- rebuilt from the domain's list, which SQLite can only do by copying the table. D1 enforces
-- foreign keys in every migration (PRAGMA foreign_keys is ignored there), and trades and positions
-- reference recommendations: deferring them to the commit lets the table be dropped and renamed
-- back under them. drizzle-kit wrote foreign_keys=OFF; with rows it fails on D1.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_recommendations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`scan_run_id` integer,
	`symbol` text NOT NULL,
	`strategy` text NOT NULL,
	`expiration` text NOT NULL,
	`short_symbol` text NOT NULL,
	`long_symbol` text NOT NULL,
	`short_strike` real NOT NULL,
	`long_strike` real NOT NULL,
	`width` real NOT NULL,
	`underlying_price` real NOT NULL,
	`credit` real NOT NULL,
	`short_delta` real,
	`max_loss` real NOT NULL,
	`breakeven` real NOT NULL,
	`probability_of_profit` real,
	`mid_credit` real,
	`natural_credit` real,
	`edge` real,
	`reference_volatility` real,
	`profit_at_exit_probability` real,
	`iv_rank` real,
	`iv_rank_days` integer,
	`quotes_at` integer,
	`events` text,
	`score` real NOT NULL,
	`contracts` integer NOT NULL,
	`max_contracts` integer NOT NULL,
	`analyst` text NOT NULL,
	`thesis` text NOT NULL,
	`confidence` real,
	`risks` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`status_reason` text,
	`expires_at` integer NOT NULL,
	`discord_channel_id` text,
	`discord_message_id` text,
	`client_order_id` text NOT NULL,
	`broker_order_id` text,
	`limit_price` real,
	`filled_contracts` integer,
	`limit_walk` text,
	`limit_floor` real,
	`decided_by` text,
	`decided_at` integer,
	CONSTRAINT "recommendations_status_check" CHECK(status in ('pending', 'approving', 'submitted', 'filled', 'failed', 'refused', 'rejected', 'expired')),
	CONSTRAINT "recommendations_strategy_check" CHECK(strategy in ('bull_put', 'bear_call')),
	CONSTRAINT "recommendations_credit_check" CHECK("__new_recommendations"."credit" > 0 and "__new_recommendations"."credit" < "__new_recommendations"."width"),
	CONSTRAINT "recommendations_width_check" CHECK("__new_recommendations"."width" > 0),
	CONSTRAINT "recommendations_contracts_check" CHECK("__new_recommendations"."contracts" >= 1 and "__new_recommendations"."contracts" <= "__new_recommendations"."max_contracts"),
	CONSTRAINT "recommendations_expiry_check" CHECK("__new_recommendations"."expires_at" > "__new_recommendations"."created_at")
);
--> statement-breakpoint
INSERT INTO `__new_recommendations`("id", "created_at", "updated_at", "scan_run_id", "symbol", "strategy", "expiration", "short_symbol", "long_symbol", "short_strike", "long_strike", "width", "underlying_price", "credit", "short_delta", "max_loss", "breakeven", "probability_of_profit", "mid_credit", "natural_credit", "edge", "reference_volatility", "profit_at_exit_probability", "iv_rank", "iv_rank_days", "quotes_at", "events", "score", "contracts", "max_contracts", "analyst", "thesis", "confidence", "risks", "status", "status_reason", "expires_at", "discord_channel_id", "discord_message_id", "client_order_id", "broker_order_id", "limit_price", "filled_contracts", "limit_walk", "limit_floor", "decided_by", "decided_at") SELECT "id", "created_at", "updated_at", "scan_run_id", "symbol", "strategy", "expiration", "short_symbol", "long_symbol", "short_strike", "long_strike", "width", "underlying_price", "credit", "short_delta", "max_loss", "breakeven", "probability_of_profit", "mid_credit", "natural_credit", "edge", "reference_volatility", "profit_at_exit_probability", "iv_rank", "iv_rank_days", "quotes_at", "events", "score", "contracts", "max_contracts", "analyst", "thesis", "confidence", "risks", "status", "status_reason", "expires_at", "discord_channel_id", "discord_message_id", "client_order_id", "broker_order_id", "limit_price", "filled_contracts", "limit_walk", "limit_floor", "decided_by", "decided_at" FROM `recommendations`;--> statement-breakpoint
DROP TABLE `recommendations`;--> statement-breakpoint
ALTER TABLE `__new_recommendations` RENAME TO `recommendations`;--> statement-breakpoint
PRAGMA defer_foreign_keys = off;--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_client_order_id_unique` ON `recommendations` (`client_order_id`);--> statement-breakpoint
CREATE INDEX `recommendations_status_idx` ON `recommendations` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `recommendations_symbol_idx` ON `recommendations` (`symbol`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_one_live_per_symbol` ON `recommendations` (`symbol`) WHERE status in ('pending', 'approving', 'submitted');