CREATE TABLE `account_counters` (
	`account` text PRIMARY KEY NOT NULL,
	`pending` integer NOT NULL,
	`leased` integer NOT NULL,
	`delivered` integer NOT NULL,
	`dead` integer NOT NULL,
	`evicted` integer NOT NULL,
	`backlog_bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `budget_slots` (
	`slot` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL,
	`used` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `budget_slots_key_idx` ON `budget_slots` (`key`,`at`);--> statement-breakpoint
ALTER TABLE `entries` ADD `account` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX `entries_account_due_idx` ON `entries` (`account`,`due_at`,`rk`) WHERE due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `entries_account_backlog_idx` ON `entries` (`account`,`backlog_at`,`rk`) WHERE backlog_at IS NOT NULL;--> statement-breakpoint
-- Hand-written: every entry of a file written before accounts belongs to the 'default' account; its counts start
-- from the entries themselves (absolute counts, unlike `counters`, whose recorded count lives on the newest row).
INSERT INTO `account_counters` (`account`, `pending`, `leased`, `delivered`, `dead`, `evicted`, `backlog_bytes`)
SELECT `account`,
	sum(`status` = 'pending'), sum(`status` = 'leased'), sum(`status` = 'delivered'), sum(`status` = 'dead'),
	sum(`status` = 'evicted'), coalesce(sum(CASE WHEN `status` IN ('pending', 'leased') THEN `bytes` END), 0)
FROM `entries` GROUP BY `account`;
