-- Hand-written: stamp the file as a Hubline outbox (PRAGMA application_id = 0x48424C4E, "HBLN"), so that opening
-- tells it from another application's SQLite database before writing anything (`storage/file-identity.ts`).
PRAGMA application_id = 1212304462;
