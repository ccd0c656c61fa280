CREATE TABLE `budgets` (
	`key` text PRIMARY KEY NOT NULL,
	`paused_until` integer NOT NULL,
	`reason` text NOT NULL
);
