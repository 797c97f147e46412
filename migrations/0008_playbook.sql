-- The playbook that learns (issue 14): a review (reflection and lesson) per closed trade, the
-- rules learned from them or added by a person, and audit actions for changing a rule. The
-- audit_log and playbook CHECK constraints are rebuilt by copying (SQLite's only way); no table
-- references either, so no foreign keys need deferring (drizzle-kit's PRAGMA foreign_keys lines
-- are dropped: D1 ignores them).
CREATE TABLE `playbook_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule` text NOT NULL,
	`symbol` text,
	`strategy` text,
	`iv_regime` text,
	`supporting_trades` text DEFAULT '[]' NOT NULL,
	`proposal_key` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`changed_by` text,
	`changed_at` integer,
	CONSTRAINT "playbook_rules_status_check" CHECK(status in ('active', 'retired')),
	CONSTRAINT "playbook_rules_strategy_check" CHECK("playbook_rules"."strategy" is null or strategy in ('bull_put', 'bear_call')),
	CONSTRAINT "playbook_rules_iv_regime_check" CHECK("playbook_rules"."iv_regime" is null or iv_regime in ('low', 'normal', 'high'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `playbook_rules_proposal_key_unique` ON `playbook_rules` (`proposal_key`);--> statement-breakpoint
CREATE TABLE `trade_reviews` (
	`position_id` integer PRIMARY KEY NOT NULL,
	`symbol` text NOT NULL,
	`strategy` text NOT NULL,
	`iv_regime` text,
	`dte` integer NOT NULL,
	`outcome` text NOT NULL,
	`realized_pl` real NOT NULL,
	`closed_day` text NOT NULL,
	`reflection` text NOT NULL,
	`lesson` text NOT NULL,
	`author` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "trade_reviews_strategy_check" CHECK(strategy in ('bull_put', 'bear_call')),
	CONSTRAINT "trade_reviews_outcome_check" CHECK(outcome in ('win', 'loss', 'scratch')),
	CONSTRAINT "trade_reviews_iv_regime_check" CHECK("trade_reviews"."iv_regime" is null or iv_regime in ('low', 'normal', 'high'))
);
--> statement-breakpoint
CREATE INDEX `trade_reviews_match_idx` ON `trade_reviews` (`symbol`,`strategy`);--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`recommendation_id` text,
	`position_id` integer,
	`interaction_id` text,
	`outcome` text NOT NULL,
	`detail` text,
	CONSTRAINT "audit_log_action_check" CHECK(action in ('approve', 'reject', 'resize', 'close', 'refuse', 'halt', 'resume', 'order_submitted', 'order_failed', 'unauthorized', 'playbook_add', 'playbook_retire', 'playbook_restore'))
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "at", "actor", "action", "recommendation_id", "position_id", "interaction_id", "outcome", "detail") SELECT "id", "at", "actor", "action", "recommendation_id", "position_id", "interaction_id", "outcome", "detail" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_recommendation_idx` ON `audit_log` (`recommendation_id`);--> statement-breakpoint
CREATE TABLE `__new_playbook` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trading_day` text NOT NULL,
	`kind` text NOT NULL,
	`author` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "playbook_kind_check" CHECK(kind in ('reflection'))
);
--> statement-breakpoint
INSERT INTO `__new_playbook`("id", "trading_day", "kind", "author", "content", "created_at") SELECT "id", "trading_day", "kind", "author", "content", "created_at" FROM `playbook`;--> statement-breakpoint
DROP TABLE `playbook`;--> statement-breakpoint
ALTER TABLE `__new_playbook` RENAME TO `playbook`;--> statement-breakpoint
CREATE INDEX `playbook_day_idx` ON `playbook` (`trading_day`);