#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and create the role and database the team tests use.
# Idempotent: safe to run again on a running cluster with the role and database in place.
# Prints the URL the tests read from BURNRATE_TEST_PG_URL.
set -euo pipefail

ROLE="${BURNRATE_TEST_PG_ROLE:-burnrate_test}"
PASSWORD="${BURNRATE_TEST_PG_PASSWORD:-burnrate_test_pw}"
DB="${BURNRATE_TEST_PG_DB:-burnrate_test}"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "pg-test-setup: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi
# Start only when it is not running already (pg_ctlcluster start fails on a running cluster).
VERSION="$(pg_lsclusters -h 2>/dev/null | awk '$2=="main" {print $1; exit}')"
VERSION="${VERSION:-15}"
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start
fi
# Wait for the server to answer, not for a fixed time.
for _ in $(seq 1 100); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; then break; fi
  sleep 0.1
done
su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'")" != "1" ]; then
  # CREATEDB and CREATEROLE: each test creates its own database and a member role, then drops them.
  psql_admin "CREATE ROLE ${ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${PASSWORD}'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '${DB}'")" != "1" ]; then
  su postgres -c "createdb -O ${ROLE} ${DB}"
fi
echo "postgres://${ROLE}:${PASSWORD}@127.0.0.1:5432/${DB}"
