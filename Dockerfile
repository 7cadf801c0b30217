# syntax=docker/dockerfile:1
# One image for the three services and the console. Pick one with SERVICE (cases | plo | alerting |
# console), or
# override the command: node dist/apps/<service>/src/main.js
#
#   docker build -t plo-drift .
#   docker run -e SERVICE=cases -e DATABASE_URL=... -e KAFKA_BROKERS=... -p 3001:3001 plo-drift
#
# docker-compose.yml runs the whole product (Kafka, PostgreSQL, the three services and the console).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install everything, compile with swc, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/build.sh \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code and production dependencies only, as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001 3002 3003

# No curl in the slim image: ask /health with Node's own fetch. The port is HTTP_PORT, or the
# service's default when HTTP_PORT is not set.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "const port = process.env.HTTP_PORT || { console: 3000, cases: 3001, plo: 3002, alerting: 3003 }[process.env.SERVICE]; fetch('http://127.0.0.1:' + port + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]

# The heap cap: see SERVICE_HEAP_MIB in the README's configuration table.
# `exec` makes node PID 1's direct replacement, so SIGTERM reaches it and it shuts down cleanly.
CMD ["sh", "-c", "case \"$SERVICE\" in cases|plo|alerting|console) exec node --enable-source-maps --max-old-space-size=${SERVICE_HEAP_MIB:-192} \"dist/apps/$SERVICE/src/main.js\" ;; *) echo \"set SERVICE to cases, plo, alerting or console (got '$SERVICE')\" >&2; exit 64 ;; esac"]
