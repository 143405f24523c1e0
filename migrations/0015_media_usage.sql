CREATE TABLE "media_usage" (
	"owner_id" uuid PRIMARY KEY NOT NULL,
	"stored_bytes" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "failure_details" jsonb;--> statement-breakpoint
ALTER TABLE "media_usage" ADD CONSTRAINT "media_usage_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;