CREATE TABLE "reel_creators" (
	"author_id" uuid PRIMARY KEY NOT NULL,
	"views" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reel_interactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reel_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"watch_ms" integer,
	"source" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reel_interactions_kind_known" CHECK ("reel_interactions"."kind" in ('view', 'like', 'share', 'comment', 'save', 'not_interested', 'skip'))
);
--> statement-breakpoint
CREATE TABLE "reel_viewers" (
	"reel_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"watched_ms" integer DEFAULT 0 NOT NULL,
	"viewed" boolean DEFAULT false NOT NULL,
	"completed" boolean DEFAULT false NOT NULL,
	"skipped" boolean DEFAULT false NOT NULL,
	"not_interested" boolean DEFAULT false NOT NULL,
	"source" text,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reel_viewers_reel_id_user_id_pk" PRIMARY KEY("reel_id","user_id"),
	CONSTRAINT "reel_viewers_source_known" CHECK ("reel_viewers"."source" in ('for_you', 'following', 'profile', 'hashtag', 'sound', 'link'))
);
--> statement-breakpoint
CREATE TABLE "reels" (
	"post_id" uuid PRIMARY KEY NOT NULL,
	"author_id" uuid NOT NULL,
	"media_id" uuid NOT NULL,
	"duration_ms" integer NOT NULL,
	"cover_ms" integer DEFAULT 0 NOT NULL,
	"language" text NOT NULL,
	"allow_duet" boolean DEFAULT true NOT NULL,
	"allow_stitch" boolean DEFAULT true NOT NULL,
	"caption_vector" real[],
	"view_count" integer DEFAULT 0 NOT NULL,
	"watch_ms" bigint DEFAULT 0 NOT NULL,
	"completions" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "reels_cover_within" CHECK ("reels"."cover_ms" >= 0 and "reels"."cover_ms" <= "reels"."duration_ms")
);
--> statement-breakpoint
ALTER TABLE "reel_creators" ADD CONSTRAINT "reel_creators_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reel_interactions" ADD CONSTRAINT "reel_interactions_reel_id_reels_post_id_fk" FOREIGN KEY ("reel_id") REFERENCES "public"."reels"("post_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reel_interactions" ADD CONSTRAINT "reel_interactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reel_viewers" ADD CONSTRAINT "reel_viewers_reel_id_reels_post_id_fk" FOREIGN KEY ("reel_id") REFERENCES "public"."reels"("post_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reel_viewers" ADD CONSTRAINT "reel_viewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reels" ADD CONSTRAINT "reels_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reel_interactions_reel" ON "reel_interactions" USING btree ("reel_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "reel_interactions_user" ON "reel_interactions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "reel_viewers_user" ON "reel_viewers" USING btree ("user_id","last_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reels_author" ON "reels" USING btree ("author_id","post_id" DESC NULLS LAST) WHERE "reels"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "reels_recent" ON "reels" USING btree ("language","created_at" DESC NULLS LAST) WHERE "reels"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "reels_media" ON "reels" USING btree ("media_id");