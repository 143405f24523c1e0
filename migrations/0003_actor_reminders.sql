CREATE TABLE "actor_reminders" (
	"kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"name" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"message" jsonb NOT NULL,
	CONSTRAINT "actor_reminders_kind_actor_id_name_pk" PRIMARY KEY("kind","actor_id","name")
);
--> statement-breakpoint
CREATE INDEX "actor_reminders_due" ON "actor_reminders" USING btree ("due_at");