DROP INDEX "acquisitions_acquirer_idx";--> statement-breakpoint
CREATE INDEX "acquisitions_acquirer_idx" ON "acquisitions" ("acquirer_id",coalesce("announced_on", '-infinity'::date),"id","status","price_amount","currency","announced_on","closed_on","target_id");--> statement-breakpoint
DROP INDEX "acquisitions_target_idx";--> statement-breakpoint
CREATE INDEX "acquisitions_target_idx" ON "acquisitions" ("target_id",coalesce("announced_on", '-infinity'::date),"id","status","price_amount","currency","announced_on","closed_on","acquirer_id");--> statement-breakpoint
DROP INDEX "acquisitions_announced_on_idx";--> statement-breakpoint
CREATE INDEX "acquisitions_announced_on_idx" ON "acquisitions" (coalesce("announced_on", '-infinity'::date),"id");--> statement-breakpoint
DROP INDEX "acquisitions_price_idx";--> statement-breakpoint
CREATE INDEX "acquisitions_price_idx" ON "acquisitions" (coalesce("price_amount", -1),"id");