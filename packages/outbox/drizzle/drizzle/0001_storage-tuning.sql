-- Hand-written (drizzle-kit cannot express these).
-- 1. The lifecycle log is keyed by (rk, seq) and read only by that key, so it is stored WITHOUT ROWID: one
--    B-tree per append instead of a table plus its primary-key index. The schema in src/storage/schema.ts
--    is otherwise identical.
DROP TABLE `lifecycle`;
--> statement-breakpoint
CREATE TABLE `lifecycle` (
	`rk` integer NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`rk`, `seq`)
) WITHOUT ROWID;
--> statement-breakpoint
-- 2. The single row of running totals that stats() reads; every write transaction keeps it exact.
INSERT INTO `counters` (`k`, `pending`, `leased`, `delivered`, `dead`, `evicted`, `backlog_bytes`) VALUES (1, 0, 0, 0, 0, 0, 0);
