CREATE TABLE "stories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"author_id" uuid NOT NULL,
	"pet_id" uuid,
	"media_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"clip_start_ms" integer,
	"clip_end_ms" integer,
	"part" smallint DEFAULT 0 NOT NULL,
	"audience" text NOT NULL,
	"overlays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mention_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"hashtag" text,
	"link_post_id" uuid,
	"sticker" jsonb,
	"view_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"client_id" uuid,
	CONSTRAINT "stories_audience_known" CHECK ("stories"."audience" in ('public', 'friends', 'close_friends')),
	CONSTRAINT "stories_kind_known" CHECK ("stories"."kind" in ('image', 'video'))
);
--> statement-breakpoint
CREATE TABLE "story_answers" (
	"story_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"option" smallint,
	"answer" text,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "story_answers_story_id_user_id_pk" PRIMARY KEY("story_id","user_id"),
	CONSTRAINT "story_answers_one" CHECK (("story_answers"."option" is null) <> ("story_answers"."answer" is null))
);
--> statement-breakpoint
CREATE TABLE "story_cleanup" (
	"id" smallint PRIMARY KEY NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_deleted" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "story_hidden" (
	"owner_id" uuid NOT NULL,
	"hidden_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "story_hidden_owner_id_hidden_id_pk" PRIMARY KEY("owner_id","hidden_id")
);
--> statement-breakpoint
CREATE TABLE "story_highlight_items" (
	"highlight_id" uuid NOT NULL,
	"story_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "story_highlight_items_highlight_id_story_id_pk" PRIMARY KEY("highlight_id","story_id")
);
--> statement-breakpoint
CREATE TABLE "story_highlights" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"cover_story_id" uuid,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "story_mutes" (
	"user_id" uuid NOT NULL,
	"muted_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "story_mutes_user_id_muted_id_pk" PRIMARY KEY("user_id","muted_id")
);
--> statement-breakpoint
CREATE TABLE "story_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"archive" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "story_views" (
	"story_id" uuid NOT NULL,
	"viewer_id" uuid NOT NULL,
	"viewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "story_views_story_id_viewer_id_pk" PRIMARY KEY("story_id","viewer_id")
);
--> statement-breakpoint
ALTER TABLE "stories" ADD CONSTRAINT "stories_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stories" ADD CONSTRAINT "stories_pet_id_pets_id_fk" FOREIGN KEY ("pet_id") REFERENCES "public"."pets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stories" ADD CONSTRAINT "stories_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_answers" ADD CONSTRAINT "story_answers_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_answers" ADD CONSTRAINT "story_answers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_hidden" ADD CONSTRAINT "story_hidden_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_hidden" ADD CONSTRAINT "story_hidden_hidden_id_users_id_fk" FOREIGN KEY ("hidden_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_highlight_items" ADD CONSTRAINT "story_highlight_items_highlight_id_story_highlights_id_fk" FOREIGN KEY ("highlight_id") REFERENCES "public"."story_highlights"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_highlight_items" ADD CONSTRAINT "story_highlight_items_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_highlights" ADD CONSTRAINT "story_highlights_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_mutes" ADD CONSTRAINT "story_mutes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_mutes" ADD CONSTRAINT "story_mutes_muted_id_users_id_fk" FOREIGN KEY ("muted_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_settings" ADD CONSTRAINT "story_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_views" ADD CONSTRAINT "story_views_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "story_views" ADD CONSTRAINT "story_views_viewer_id_users_id_fk" FOREIGN KEY ("viewer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stories_author_active" ON "stories" USING btree ("author_id","expires_at") WHERE "stories"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "stories_client" ON "stories" USING btree ("author_id","client_id","part") WHERE "stories"."client_id" is not null;--> statement-breakpoint
CREATE INDEX "stories_media" ON "stories" USING btree ("media_id");--> statement-breakpoint
CREATE INDEX "stories_expires" ON "stories" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "story_answers_list" ON "story_answers" USING btree ("story_id","answered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "story_hidden_hidden" ON "story_hidden" USING btree ("hidden_id");--> statement-breakpoint
CREATE INDEX "story_highlight_items_story" ON "story_highlight_items" USING btree ("story_id");--> statement-breakpoint
CREATE INDEX "story_highlights_owner" ON "story_highlights" USING btree ("owner_id","position");--> statement-breakpoint
CREATE INDEX "story_views_list" ON "story_views" USING btree ("story_id","viewed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "story_views_viewer" ON "story_views" USING btree ("viewer_id","viewed_at");