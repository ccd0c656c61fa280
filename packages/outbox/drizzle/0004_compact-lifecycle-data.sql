-- Hand-written: a lifecycle record's type and time have columns of their own (`type`, `at`), so its `data` keeps
-- only the rest of the event (`storage/lifecycle-codec.ts`). The log is written twice per delivered event, and
-- the repeated keys were about a third of each record.
UPDATE `lifecycle` SET `data` = json_remove(`data`, '$.type', '$.at');
