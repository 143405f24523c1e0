CREATE TABLE "sounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"creator_id" uuid NOT NULL,
	"origin_reel_id" uuid NOT NULL,
	"media_id" uuid NOT NULL,
	"title" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sounds_origin_reel_id_unique" UNIQUE("origin_reel_id")
);
--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "recipe" jsonb;--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "reels" ADD COLUMN "sound_id" uuid;--> statement-breakpoint
ALTER TABLE "reels" ADD COLUMN "remix_kind" text;--> statement-breakpoint
ALTER TABLE "reels" ADD COLUMN "remix_of" uuid;--> statement-breakpoint
ALTER TABLE "reels" ADD COLUMN "filter" text;--> statement-breakpoint
ALTER TABLE "sounds" ADD CONSTRAINT "sounds_creator_id_users_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sounds" ADD CONSTRAINT "sounds_origin_reel_id_reels_post_id_fk" FOREIGN KEY ("origin_reel_id") REFERENCES "public"."reels"("post_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sounds" ADD CONSTRAINT "sounds_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sounds_creator" ON "sounds" USING btree ("creator_id","id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_sound_id_sounds_id_fk" FOREIGN KEY ("sound_id") REFERENCES "public"."sounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_remix_of_reels_post_id_fk" FOREIGN KEY ("remix_of") REFERENCES "public"."reels"("post_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "media_client" ON "media" USING btree ("owner_id","client_id");--> statement-breakpoint
CREATE INDEX "reels_sound" ON "reels" USING btree ("sound_id","post_id" DESC NULLS LAST) WHERE "reels"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_remix_known" CHECK (("reels"."remix_kind" is null) or ("reels"."remix_kind" in ('duet', 'stitch')));