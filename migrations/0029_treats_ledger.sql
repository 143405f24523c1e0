CREATE TABLE "treat_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treat_accounts_kind" CHECK ("treat_accounts"."kind" in ('wallet', 'earned', 'platform_sales', 'platform_grants', 'platform_fees')),
	CONSTRAINT "treat_accounts_owner" CHECK (("treat_accounts"."owner_id" is null) = ("treat_accounts"."kind" like 'platform_%'))
);
--> statement-breakpoint
CREATE TABLE "treat_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treat_entries_amount" CHECK ("treat_entries"."amount" <> 0),
	CONSTRAINT "treat_entries_not_negative" CHECK ("treat_entries"."balance_after" is null or "treat_entries"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "treat_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"by_user_id" uuid,
	"memo" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treat_transfers_kind" CHECK ("treat_transfers"."kind" in ('purchase', 'allowance', 'tip', 'reversal'))
);
--> statement-breakpoint
ALTER TABLE "treat_accounts" ADD CONSTRAINT "treat_accounts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treat_entries" ADD CONSTRAINT "treat_entries_transfer_id_treat_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."treat_transfers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treat_entries" ADD CONSTRAINT "treat_entries_account_id_treat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."treat_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treat_transfers" ADD CONSTRAINT "treat_transfers_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "treat_accounts_owner_kind" ON "treat_accounts" USING btree ("owner_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "treat_accounts_platform_kind" ON "treat_accounts" USING btree ("kind") WHERE "treat_accounts"."owner_id" is null;--> statement-breakpoint
CREATE INDEX "treat_entries_account" ON "treat_entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "treat_entries_transfer" ON "treat_entries" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "treat_transfers_key" ON "treat_transfers" USING btree ("key");