-- Runs once, when the postgres container initialises an empty data volume (docker-compose.yml).
-- The same role and databases scripts/postgres.sh creates for local development: one database per
-- service, all owned by the service role `plo`.
CREATE ROLE plo WITH LOGIN PASSWORD 'plo';

CREATE DATABASE plo_cases OWNER plo;
CREATE DATABASE plo_proceedings OWNER plo;
CREATE DATABASE plo_alerting OWNER plo;
CREATE DATABASE plo_console OWNER plo;
