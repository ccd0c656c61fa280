-- Hand-written: move the recorded count and bytes out of `counters` onto the newest entry's running totals,
-- so that pending = counters.pending + newest.total_count (and the same for backlog bytes) still holds.
UPDATE `entries` SET
	`total_count` = (SELECT count(*) FROM `entries`),
	`total_bytes` = (SELECT coalesce(sum(`bytes`), 0) FROM `entries`)
WHERE `rk` = (SELECT max(`rk`) FROM `entries`);
--> statement-breakpoint
UPDATE `counters` SET
	`pending` = `pending` - coalesce((SELECT `total_count` FROM `entries` ORDER BY `rk` DESC LIMIT 1), 0),
	`backlog_bytes` = `backlog_bytes` - coalesce((SELECT `total_bytes` FROM `entries` ORDER BY `rk` DESC LIMIT 1), 0)
WHERE `k` = 1;
