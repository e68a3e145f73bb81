-- DropIndex
DROP INDEX "ledger_entries_member_id_rule_id_created_at_idx";

