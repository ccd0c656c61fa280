-- An entry keeps its `Recorded` event in its own row (`recorded_at`, `recorded_bytes`) rather than a `lifecycle`
-- row: recording writes one row per event instead of two. Entries recorded before keep theirs in `lifecycle`.
ALTER TABLE "entries" ADD COLUMN "recorded_bytes" integer;
