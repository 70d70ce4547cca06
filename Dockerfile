# The auth-service image: `docker build -t auth-service .` (README.md, "Deployment").
#   run:      docker run --env-file .env -p 3000:3000 auth-service
#   migrate:  docker run --rm --env-file .env auth-service node dist/apps/auth-service/main.js migrate
# No secret is baked in: every one comes from the environment at run time (docs/secrets.md).
# tools/deploy/image.test.ts checks this file; tools/deploy/imageRuntime.e2e.test.ts rebuilds the
# runtime stage's file list from its COPY lines on the machine and starts the app from exactly those.

# 1. build: every dependency (dev included), the Prisma client generated, the app bundled.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
COPY package.json package-lock.json ./
COPY apps/auth-service/package.json apps/auth-service/
COPY libs/database/package.json libs/database/
COPY libs/monitoring/package.json libs/monitoring/
COPY libs/utils/package.json libs/utils/
# Scripts off: the root postinstall generates the Prisma client from sources not copied yet; the
# build below generates it (database:generate) before bundling.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx nx run auth-service:build --outputStyle=static

# 2. deps: production dependencies only. Scripts off: the root postinstall needs the dev-only
# Prisma CLI, and the bundle already holds the generated client. The workspace links
# (node_modules/@libs/*) need each workspace's package.json.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/auth-service/package.json apps/auth-service/
COPY libs/database/package.json libs/database/
COPY libs/monitoring/package.json libs/monitoring/
COPY libs/utils/package.json libs/utils/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 3. runtime: the bundle, its console assets, the migrations and production node_modules; non-root.
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
# DATA_DIR: the unprivileged user's own directory (nothing is written there with DATABASE_URL and
# BETTER_AUTH_SECRET set, as production requires).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/home/node/data
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/package.json package.json
COPY --from=deps /app/apps/auth-service/package.json apps/auth-service/package.json
COPY --from=deps /app/libs/database/package.json libs/database/package.json
COPY --from=deps /app/libs/monitoring/package.json libs/monitoring/package.json
COPY --from=deps /app/libs/utils/package.json libs/utils/package.json
# `migrate` reads them through the workspace link node_modules/@libs/database.
COPY --from=build /app/libs/database/prisma/migrations libs/database/prisma/migrations
COPY --from=build /app/dist/apps/auth-service dist/apps/auth-service
USER node
EXPOSE 3000
# Liveness only (the process answers): readiness (/health/ready) is the load balancer's decision.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/apps/auth-service/main.js"]
