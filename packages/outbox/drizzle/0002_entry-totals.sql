ALTER TABLE `entries` ADD `total_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `entries` ADD `total_bytes` integer DEFAULT 0 NOT NULL;