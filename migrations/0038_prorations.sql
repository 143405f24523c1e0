CREATE TABLE "prorations" (
	"subscription_id" uuid PRIMARY KEY NOT NULL,
	"replaced_by" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"plan" text NOT NULL,
	"method" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"replaced_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"refund_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prorations_status" CHECK ("prorations"."status" in ('pending', 'refunded', 'owed')),
	CONSTRAINT "prorations_amount" CHECK ("prorations"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "prorations" ADD CONSTRAINT "prorations_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prorations" ADD CONSTRAINT "prorations_replaced_by_subscriptions_id_fk" FOREIGN KEY ("replaced_by") REFERENCES "public"."subscriptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prorations" ADD CONSTRAINT "prorations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "prorations_payment" ON "prorations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "prorations_due" ON "prorations" USING btree ("next_attempt_at") WHERE "prorations"."status" = 'pending';