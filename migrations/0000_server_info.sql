CREATE TABLE "server_info" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"installation_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"boot_count" bigint DEFAULT 0 NOT NULL,
	"last_boot_at" timestamp with time zone,
	"last_boot_node" text,
	CONSTRAINT "server_info_single_row" CHECK ("server_info"."id" = 1)
);
