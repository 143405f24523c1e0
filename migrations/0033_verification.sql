CREATE TABLE "verification_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"request_id" uuid,
	"admin_id" uuid NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verification_audit_action" CHECK ("verification_audit"."action" in ('approved', 'rejected', 'granted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "verification_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"category" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"links" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	CONSTRAINT "verification_requests_category" CHECK ("verification_requests"."category" in ('creator', 'shelter', 'vet', 'breeder', 'business')),
	CONSTRAINT "verification_requests_status" CHECK ("verification_requests"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "verification_requests_reason" CHECK (("verification_requests"."status" = 'rejected') = ("verification_requests"."reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "verified_with_plan" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_audit" ADD CONSTRAINT "verification_audit_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_audit" ADD CONSTRAINT "verification_audit_request_id_verification_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."verification_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_requests" ADD CONSTRAINT "verification_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_requests" ADD CONSTRAINT "verification_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "verification_audit_user" ON "verification_audit" USING btree ("user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "verification_requests_pending" ON "verification_requests" USING btree ("user_id") WHERE "verification_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "verification_requests_user" ON "verification_requests" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "verification_requests_queue" ON "verification_requests" USING btree ("id") WHERE "verification_requests"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_verified_with_plan" CHECK ("profiles"."verified_at" is not null or not "profiles"."verified_with_plan");