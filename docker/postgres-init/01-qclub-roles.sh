#!/bin/sh
# First start of the database container: QClub's two roles and its database.
# The owner runs migrations; the runtime role serves requests, owns nothing,
# is not a superuser and has no BYPASSRLS, so row-level security binds it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE qclub_owner LOGIN PASSWORD '${QCLUB_OWNER_PASSWORD}' NOSUPERUSER NOBYPASSRLS;
CREATE ROLE qclub_app LOGIN PASSWORD '${QCLUB_APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE DATABASE qclub OWNER qclub_owner;
REVOKE ALL ON DATABASE qclub FROM PUBLIC;
GRANT CONNECT ON DATABASE qclub TO qclub_app;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname qclub <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO qclub_owner;
GRANT USAGE ON SCHEMA public TO qclub_app;
SQL
