DROP INDEX "payments_spei_clabe";--> statement-breakpoint
CREATE INDEX "payments_spei_clabe" ON "payments" USING btree ("spei_clabe","id");