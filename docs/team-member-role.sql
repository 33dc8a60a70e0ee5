-- A least-privilege role for team members (docs/team.md). Run as the schema's owner after the
-- first `burnrate team join` created the tables. Change the password first.
CREATE ROLE burnrate_member LOGIN PASSWORD 'member-secret';
GRANT CONNECT ON DATABASE burnrate TO burnrate_member;
GRANT USAGE ON SCHEMA public TO burnrate_member;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO burnrate_member;
GRANT INSERT, UPDATE ON machines, machine_orgs, member_rollups, billed_days, team_alerts TO burnrate_member;
GRANT INSERT ON teams TO burnrate_member;
GRANT USAGE ON SEQUENCE team_alerts_id_seq TO burnrate_member;
ALTER TABLE member_rollups ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_reads ON member_rollups FOR SELECT USING (true);
CREATE POLICY member_writes_own ON member_rollups FOR ALL
  USING (machine_id IN (SELECT id FROM machines WHERE db_role = current_user))
  WITH CHECK (machine_id IN (SELECT id FROM machines WHERE db_role = current_user));
