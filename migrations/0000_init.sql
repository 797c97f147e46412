CREATE TABLE `analyst_usage` (
	`trading_day` text NOT NULL,
	`model` text NOT NULL,
	`requests` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	PRIMARY KEY(`trading_day`, `model`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`recommendation_id` text,
	`position_id` integer,
	`interaction_id` text,
	`outcome` text NOT NULL,
	`detail` text,
	CONSTRAINT "audit_log_action_check" CHECK(action in ('approve', 'reject', 'resize', 'close', 'refuse', 'halt', 'resume', 'order_submitted', 'order_failed', 'unauthorized'))
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_recommendation_idx` ON `audit_log` (`recommendation_id`);--> statement-breakpoint
CREATE TABLE `breaker_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	CONSTRAINT "breaker_events_kind_check" CHECK(kind in ('trip', 'reset'))
);
--> statement-breakpoint
CREATE INDEX `breaker_events_at_idx` ON `breaker_events` (`at`);--> statement-breakpoint
CREATE TABLE `breaker_state` (
	`id` text PRIMARY KEY NOT NULL,
	`halted` integer NOT NULL,
	`reasons` text DEFAULT '[]' NOT NULL,
	`source` text,
	`changed_by` text,
	`changed_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "breaker_state_singleton_check" CHECK("breaker_state"."id" = 'global')
);
--> statement-breakpoint
CREATE TABLE `daily_performance` (
	`trading_day` text PRIMARY KEY NOT NULL,
	`realized_pl` real NOT NULL,
	`unrealized_pl` real NOT NULL,
	`total_realized_pl` real NOT NULL,
	`trades_opened` integer NOT NULL,
	`trades_closed` integer NOT NULL,
	`wins` integer NOT NULL,
	`losses` integer NOT NULL,
	`open_positions` integer NOT NULL,
	`open_risk` real NOT NULL,
	`equity` real,
	`recommendations_posted` integer NOT NULL,
	`recommendations_approved` integer NOT NULL,
	`recommendations_rejected` integer NOT NULL,
	`recommendations_expired` integer NOT NULL,
	`breaker_halted` integer NOT NULL,
	`summary_message_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `iv_history` (
	`symbol` text NOT NULL,
	`trading_day` text NOT NULL,
	`iv` real NOT NULL,
	PRIMARY KEY(`symbol`, `trading_day`),
	CONSTRAINT "iv_history_iv_check" CHECK("iv_history"."iv" > 0)
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`slot_key` text NOT NULL,
	`scheduled_time` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text NOT NULL,
	`reason` text,
	`summary` text,
	CONSTRAINT "job_runs_job_check" CHECK(job in ('scan', 'monitor', 'eod')),
	CONSTRAINT "job_runs_outcome_check" CHECK(outcome in ('running', 'ran', 'skipped', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_slot_unique` ON `job_runs` (`job`,`slot_key`);--> statement-breakpoint
CREATE INDEX `job_runs_started_idx` ON `job_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `playbook` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trading_day` text NOT NULL,
	`kind` text NOT NULL,
	`author` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "playbook_kind_check" CHECK(kind in ('reflection', 'lesson', 'rule'))
);
--> statement-breakpoint
CREATE INDEX `playbook_day_idx` ON `playbook` (`trading_day`);--> statement-breakpoint
CREATE TABLE `positions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recommendation_id` text NOT NULL,
	`symbol` text NOT NULL,
	`strategy` text NOT NULL,
	`expiration` text NOT NULL,
	`short_symbol` text NOT NULL,
	`long_symbol` text NOT NULL,
	`short_strike` real NOT NULL,
	`long_strike` real NOT NULL,
	`contracts` integer NOT NULL,
	`entry_credit` real NOT NULL,
	`max_loss` real NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_at` integer NOT NULL,
	`mark` real,
	`unrealized_pl` real,
	`marked_at` integer,
	`exit_alert` text,
	`exit_alert_message_id` text,
	`close_client_order_id` text,
	`close_reason` text,
	`close_price` real,
	`realized_pl` real,
	`closed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "positions_status_check" CHECK(status in ('open', 'closing', 'closed')),
	CONSTRAINT "positions_contracts_check" CHECK("positions"."contracts" >= 1),
	CONSTRAINT "positions_closed_check" CHECK("positions"."status" <> 'closed' or "positions"."closed_at" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `positions_recommendation_unique` ON `positions` (`recommendation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `positions_close_client_order_id_unique` ON `positions` (`close_client_order_id`);--> statement-breakpoint
CREATE INDEX `positions_status_idx` ON `positions` (`status`);--> statement-breakpoint
CREATE TABLE `recommendations` (
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
	`iv_rank` real,
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
	`decided_by` text,
	`decided_at` integer,
	CONSTRAINT "recommendations_status_check" CHECK(status in ('pending', 'approving', 'submitted', 'filled', 'failed', 'refused', 'rejected', 'expired', 'blocked')),
	CONSTRAINT "recommendations_strategy_check" CHECK(strategy in ('bull_put', 'bear_call')),
	CONSTRAINT "recommendations_credit_check" CHECK("recommendations"."credit" > 0 and "recommendations"."credit" < "recommendations"."width"),
	CONSTRAINT "recommendations_width_check" CHECK("recommendations"."width" > 0),
	CONSTRAINT "recommendations_contracts_check" CHECK("recommendations"."contracts" >= 1 and "recommendations"."contracts" <= "recommendations"."max_contracts"),
	CONSTRAINT "recommendations_expiry_check" CHECK("recommendations"."expires_at" > "recommendations"."created_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_client_order_id_unique` ON `recommendations` (`client_order_id`);--> statement-breakpoint
CREATE INDEX `recommendations_status_idx` ON `recommendations` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `recommendations_symbol_idx` ON `recommendations` (`symbol`,`status`);--> statement-breakpoint
CREATE TABLE `seen_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `seen_interactions_seen_at_idx` ON `seen_interactions` (`seen_at`);--> statement-breakpoint
CREATE TABLE `trades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recommendation_id` text NOT NULL,
	`position_id` integer,
	`kind` text NOT NULL,
	`client_order_id` text NOT NULL,
	`broker_order_id` text,
	`symbol` text NOT NULL,
	`contracts` integer NOT NULL,
	`limit_price` real NOT NULL,
	`fill_price` real,
	`status` text NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`filled_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "trades_kind_check" CHECK(kind in ('open', 'close')),
	CONSTRAINT "trades_status_check" CHECK(status in ('submitted', 'filled', 'partially_filled', 'canceled', 'rejected', 'expired')),
	CONSTRAINT "trades_contracts_check" CHECK("trades"."contracts" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trades_client_order_id_unique` ON `trades` (`client_order_id`);--> statement-breakpoint
CREATE INDEX `trades_recommendation_idx` ON `trades` (`recommendation_id`);