CREATE INDEX "conversations_picture" ON "conversations" USING btree ("picture_media_id") WHERE "conversations"."picture_media_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_attachments" ON "messages" USING gin ("attachments" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "profiles_avatar" ON "profiles" USING btree ("avatar_media_id") WHERE "profiles"."avatar_media_id" is not null;--> statement-breakpoint
CREATE INDEX "profiles_cover" ON "profiles" USING btree ("cover_media_id") WHERE "profiles"."cover_media_id" is not null;--> statement-breakpoint
CREATE INDEX "pets_photos" ON "pets" USING gin ("photo_media_ids");--> statement-breakpoint
CREATE INDEX "posts_media" ON "posts" USING gin ("media_ids");