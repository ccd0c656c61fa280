-- Hand-written (drizzle-kit generate --custom): what drizzle's schema cannot say.
-- The clock's one row, whose high-water mark every store compares its clock readings with.
INSERT INTO "clock" ("k", "high_water") VALUES (1, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- `entries` is a queue: every claim and settle rewrites a row and its index entries, so dead tuples gather at the
-- head of the claim index. Vacuum it after 1% of its rows changed instead of PostgreSQL's default 20%.
ALTER TABLE "entries" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
--> statement-breakpoint
-- Each counter shard is updated by every transaction of its backends: leave room on its page for the next
-- version, so that each update stays on the page (a HOT update) and the table does not grow.
ALTER TABLE "counters" SET (fillfactor = 50);
