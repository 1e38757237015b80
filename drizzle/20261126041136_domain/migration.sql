CREATE TYPE "acquisition_status" AS ENUM('rumored', 'announced', 'pending', 'completed', 'cancelled');--> statement-breakpoint
CREATE TABLE "acquisitions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "acquisitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"acquirer_id" integer NOT NULL,
	"target_id" integer NOT NULL,
	"status" "acquisition_status" NOT NULL,
	"price_amount" numeric(20,2),
	"currency" char(3),
	"announced_on" date,
	"closed_on" date,
	"notes" text,
	"created_by" integer,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "acquisitions_distinct_parties" CHECK ("acquirer_id" <> "target_id"),
	CONSTRAINT "acquisitions_price_non_negative" CHECK ("price_amount" is null or "price_amount" >= 0),
	CONSTRAINT "acquisitions_price_has_currency" CHECK ("price_amount" is null or "currency" is not null),
	CONSTRAINT "acquisitions_closed_after_announced" CHECK ("closed_on" is null or "announced_on" is null or "closed_on" >= "announced_on")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"write" boolean DEFAULT false NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp(3) with time zone,
	"last_used_at" timestamp(3) with time zone,
	"revoked_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "companies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"website" text,
	"industry" text,
	"country" char(2),
	"founded_year" integer,
	"description" text,
	"created_by" integer,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "acquisitions_acquirer_idx" ON "acquisitions" ("acquirer_id","id");--> statement-breakpoint
CREATE INDEX "acquisitions_target_idx" ON "acquisitions" ("target_id","id");--> statement-breakpoint
CREATE INDEX "acquisitions_status_idx" ON "acquisitions" ("status");--> statement-breakpoint
CREATE INDEX "acquisitions_announced_on_idx" ON "acquisitions" ("announced_on","id");--> statement-breakpoint
CREATE INDEX "acquisitions_price_idx" ON "acquisitions" ("price_amount","id");--> statement-breakpoint
CREATE INDEX "acquisitions_created_at_idx" ON "acquisitions" ("created_at","id");--> statement-breakpoint
CREATE INDEX "acquisitions_currency_idx" ON "acquisitions" ("currency");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_user_id_idx" ON "api_keys" ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "companies_name_lower_key" ON "companies" (lower("name"));--> statement-breakpoint
CREATE INDEX "companies_created_at_idx" ON "companies" ("created_at","id");--> statement-breakpoint
ALTER TABLE "acquisitions" ADD CONSTRAINT "acquisitions_acquirer_id_companies_id_fkey" FOREIGN KEY ("acquirer_id") REFERENCES "companies"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "acquisitions" ADD CONSTRAINT "acquisitions_target_id_companies_id_fkey" FOREIGN KEY ("target_id") REFERENCES "companies"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "acquisitions" ADD CONSTRAINT "acquisitions_created_by_users_id_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_created_by_users_id_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL;