# syntax=docker/dockerfile:1
#
# Acquisitions API image.
#   docker build -t acquisitions .              the production runtime (last stage)
#   docker build --target dev -t acquisitions:dev .   the development image (compose/dev.yml)
#
# Base: Node.js 22 LTS on Alpine. Alpine keeps the runtime small, and every native piece
# the service loads has a musl build: argon2 ships musl prebuilds (prebuilds/linux-x64 and
# linux-arm64, loaded by node-gyp-build), PGlite is WebAssembly, pg and ws are plain
# JavaScript. No compiler is needed at install time, so none is in any stage. Another LTS
# line can be tried with --build-arg NODE_VERSION=24 (package.json asks for >= 20.19).
# `npm run rehearse:prod` performs this file's runtime steps without Docker.

ARG NODE_VERSION=22

# --- base: Node, tini as PID 1 ---------------------------------------------------
FROM node:${NODE_VERSION}-alpine AS base
# tini forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apk add --no-cache tini
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# --- deps: every dependency, for building and for the dev image ------------------
FROM base AS deps
COPY package.json package-lock.json ./
# Dependencies the lockfile installs from this repository (vendor/*/README.md).
COPY vendor ./vendor
RUN --mount=type=cache,target=/root/.npm npm ci

# --- dev: source mounted over /app by compose/dev.yml, tsx watch restarts on change -
FROM deps AS dev
ENV NODE_ENV=development
COPY . .
USER node
EXPOSE 3000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["npm", "run", "dev"]

# --- build: types checked, entry points bundled into dist/ (scripts/build.mjs) ----
FROM deps AS build
COPY tsconfig.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, dist/, drizzle/ and the trusted documents --
FROM base AS runtime
ENV NODE_ENV=production
# A V8 heap limit. Without one V8 sizes the old generation's growth for the machine's
# memory and lets ~100 MiB of garbage pile up between collections under load; with it,
# it collects sooner (bench/README.md: peak RSS 225 -> 160 MiB on the read benchmarks,
# CPU and p99 within noise; 512 MiB saved a little more memory but lengthened Q4's p99).
# The service's live heap is ~40 MiB. npm run bench starts the service with this value.
# The container needs room for it: at least 4/3 of it (compose/prod.yml gives 2 GiB; a unit
# test keeps the two in step). With less memory, lower it with the limit, to 3/4 of it.
ENV NODE_OPTIONS=--max-old-space-size=1536
# On SIGTERM, /health/ready answers 503 this long, while requests are still served, before
# the listener closes: load balancers notice on their next check and stop sending new ones.
ENV SHUTDOWN_DRAIN_MS=5000
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
# The operations clients may run by documentId (npm run codegen); read at start.
COPY schema/persisted-documents.json ./schema/persisted-documents.json
# LOG_DIR target (compose/prod.yml mounts a volume here); the code itself stays root-owned
# and read-only to the service.
RUN mkdir -p /app/logs && chown node:node /app/logs
USER node
EXPOSE 3000
# busybox wget: Alpine has no curl, and wget is far lighter than starting Node for each probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD wget -q -T 2 -O /dev/null "http://127.0.0.1:${PORT:-3000}/health/live" || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/index.js"]
