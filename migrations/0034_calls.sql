CREATE TABLE "call_participants" (
	"call_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"state" text NOT NULL,
	"invited_at" timestamp with time zone NOT NULL,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"socket_id" text,
	CONSTRAINT "call_participants_call_id_user_id_pk" PRIMARY KEY("call_id","user_id"),
	CONSTRAINT "call_participants_state_known" CHECK ("call_participants"."state" in ('ringing', 'joined', 'left', 'declined', 'missed', 'busy'))
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"video" boolean NOT NULL,
	"started_by" uuid,
	"client_id" uuid NOT NULL,
	"state" text NOT NULL,
	"end_reason" text,
	"placement" jsonb,
	"reported" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "calls_kind_known" CHECK ("calls"."kind" in ('direct', 'group')),
	CONSTRAINT "calls_state_known" CHECK ("calls"."state" in ('ringing', 'active', 'ended')),
	CONSTRAINT "calls_end_reason_known" CHECK (("calls"."state" = 'ended') = ("calls"."end_reason" is not null) and ("calls"."end_reason" is null or "calls"."end_reason" in ('completed', 'missed', 'declined', 'busy', 'cancelled', 'failed')))
);
--> statement-breakpoint
ALTER TABLE "call_participants" ADD CONSTRAINT "call_participants_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_participants" ADD CONSTRAINT "call_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_participants_user" ON "call_participants" USING btree ("user_id","call_id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "call_participants_one_call" ON "call_participants" USING btree ("user_id") WHERE "call_participants"."state" = 'joined';--> statement-breakpoint
CREATE UNIQUE INDEX "calls_conversation_live" ON "calls" USING btree ("conversation_id") WHERE "calls"."state" <> 'ended';--> statement-breakpoint
CREATE UNIQUE INDEX "calls_client" ON "calls" USING btree ("started_by","client_id");