CREATE TABLE "reel_vectors" (
	"reel_id" uuid PRIMARY KEY NOT NULL,
	"collab" real[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "periodic_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"last_run_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "reel_vectors" ADD CONSTRAINT "reel_vectors_reel_id_reels_post_id_fk" FOREIGN KEY ("reel_id") REFERENCES "public"."reels"("post_id") ON DELETE cascade ON UPDATE no action;