ALTER TABLE "conversations" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "pets" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "client_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_client" ON "conversations" USING btree ("created_by","client_id") WHERE "conversations"."client_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "pets_client" ON "pets" USING btree ("owner_id","client_id") WHERE "pets"."client_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "comments_client" ON "comments" USING btree ("author_id","client_id") WHERE "comments"."client_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "posts_client" ON "posts" USING btree ("author_id","client_id") WHERE "posts"."client_id" is not null;