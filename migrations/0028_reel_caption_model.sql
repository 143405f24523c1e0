ALTER TABLE "reels" ADD COLUMN "caption_model" text;--> statement-breakpoint
CREATE INDEX "reels_caption_model" ON "reels" USING btree ("caption_model") WHERE "reels"."deleted_at" is null;