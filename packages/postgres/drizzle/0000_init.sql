CREATE TABLE "budgets" (
	"key" text PRIMARY KEY NOT NULL,
	"paused_until" bigint NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clock" (
	"k" integer PRIMARY KEY NOT NULL,
	"high_water" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "clock_one_row" CHECK ("clock"."k" = 1)
);
--> statement-breakpoint
CREATE TABLE "counters" (
	"account" text NOT NULL,
	"shard" integer NOT NULL,
	"pending" bigint DEFAULT 0 NOT NULL,
	"leased" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"dead" bigint DEFAULT 0 NOT NULL,
	"evicted" bigint DEFAULT 0 NOT NULL,
	"backlog_bytes" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "counters_account_shard_pk" PRIMARY KEY("account","shard")
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"rk" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "entries_rk_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account" text DEFAULT 'default' NOT NULL,
	"id" text NOT NULL,
	"event" text NOT NULL,
	"bytes" integer NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"recorded_at" bigint NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"lease_owner" text,
	"lease_until" bigint,
	"last_error" text,
	"updated_at" bigint NOT NULL,
	"version" integer NOT NULL,
	"in_doubt" boolean DEFAULT false NOT NULL,
	"due_at" bigint,
	"backlog_at" bigint,
	CONSTRAINT "entries_status_check" CHECK ("entries"."status" IN ('pending', 'leased', 'delivered', 'dead', 'evicted'))
);
--> statement-breakpoint
CREATE TABLE "lifecycle" (
	"rk" bigint NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"data" text NOT NULL,
	CONSTRAINT "lifecycle_rk_seq_pk" PRIMARY KEY("rk","seq")
);
--> statement-breakpoint
CREATE TABLE "owners" (
	"owner" text PRIMARY KEY NOT NULL,
	"registered_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "entries_account_id_idx" ON "entries" USING btree ("account","id");--> statement-breakpoint
CREATE INDEX "entries_claim_idx" ON "entries" USING btree ("account","due_at","rk") WHERE "entries"."due_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "entries_backlog_idx" ON "entries" USING btree ("account","backlog_at","rk") WHERE "entries"."backlog_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "entries_dead_idx" ON "entries" USING btree ("account","rk") WHERE "entries"."status" = 'dead';--> statement-breakpoint
CREATE INDEX "entries_finished_idx" ON "entries" USING btree ("account","updated_at","rk") WHERE "entries"."status" IN ('delivered', 'evicted');--> statement-breakpoint
CREATE INDEX "entries_leased_idx" ON "entries" USING btree ("account","lease_owner") WHERE "entries"."status" = 'leased';