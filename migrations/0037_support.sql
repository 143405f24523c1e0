CREATE TABLE "support_conversations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"priority" text DEFAULT 'none' NOT NULL,
	"chatwoot_priority" text,
	"chatwoot_contact_id" integer,
	"chatwoot_source_id" text,
	"chatwoot_conversation_id" integer,
	"resolve_pending" boolean DEFAULT false NOT NULL,
	"sync_due_at" timestamp with time zone,
	"sync_attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "support_conversations_status" CHECK ("support_conversations"."status" in ('open', 'closed')),
	CONSTRAINT "support_conversations_priority" CHECK ("support_conversations"."priority" in ('high', 'none')),
	CONSTRAINT "support_conversations_closed" CHECK (("support_conversations"."status" = 'closed') = ("support_conversations"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "support_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"author" text NOT NULL,
	"agent_name" text,
	"text" text NOT NULL,
	"client_id" uuid,
	"chatwoot_message_id" integer,
	"forwarded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_messages_author" CHECK ("support_messages"."author" in ('user', 'agent'))
);
--> statement-breakpoint
ALTER TABLE "support_conversations" ADD CONSTRAINT "support_conversations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_conversation_id_support_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."support_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "support_conversations_open" ON "support_conversations" USING btree ("user_id") WHERE "support_conversations"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "support_conversations_chatwoot" ON "support_conversations" USING btree ("chatwoot_conversation_id");--> statement-breakpoint
CREATE INDEX "support_conversations_user" ON "support_conversations" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "support_conversations_due" ON "support_conversations" USING btree ("sync_due_at") WHERE "support_conversations"."sync_due_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "support_messages_client" ON "support_messages" USING btree ("user_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_messages_chatwoot" ON "support_messages" USING btree ("chatwoot_message_id");--> statement-breakpoint
CREATE INDEX "support_messages_user" ON "support_messages" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "support_messages_waiting" ON "support_messages" USING btree ("conversation_id","id") WHERE "support_messages"."author" = 'user' and "support_messages"."forwarded_at" is null;