CREATE TABLE `owners` (
	`owner` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`boot` text NOT NULL,
	`pid` integer NOT NULL,
	`started` text NOT NULL
);
