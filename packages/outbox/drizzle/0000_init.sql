CREATE TABLE `counters` (
	`k` integer PRIMARY KEY NOT NULL,
	`pending` integer NOT NULL,
	`leased` integer NOT NULL,
	`delivered` integer NOT NULL,
	`dead` integer NOT NULL,
	`evicted` integer NOT NULL,
	`backlog_bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `entries` (
	`rk` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`event` text NOT NULL,
	`bytes` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`updated_at` integer NOT NULL,
	`version` integer NOT NULL,
	`due_at` integer,
	`backlog_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entries_id_unique` ON `entries` (`id`);--> statement-breakpoint
CREATE INDEX `entries_due_idx` ON `entries` (`due_at`,`rk`) WHERE due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `entries_backlog_idx` ON `entries` (`backlog_at`,`rk`) WHERE backlog_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `entries_dead_idx` ON `entries` (`rk`) WHERE status = 'dead';--> statement-breakpoint
CREATE TABLE `lifecycle` (
	`rk` integer NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`rk`, `seq`)
);
