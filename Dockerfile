# syntax=docker/dockerfile:1
# mcp-authz: one image for every service. The command picks the service:
#   docker run IMAGE serve pdp | serve proxy | serve audit | migrate | bundle build …
# Stages: build (dev dependencies, TypeScript and the web console → dist/), prod-deps (production node_modules only),
# demo-mcp (the MCP "everything" server, for the compose demo), runtime (the default target).
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped so `prepare` (the build) waits until the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY services ./services
COPY console ./console
# TypeScript → dist/services, and the web console (vite) → dist/console.
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Demo upstream for docker-compose: @modelcontextprotocol/server-everything over Streamable HTTP on $PORT/mcp.
FROM ${NODE_IMAGE} AS demo-mcp
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
USER node
ENV PORT=3001
EXPOSE 3001
CMD ["node", "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"]

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PDP_HOST=0.0.0.0 \
    PROXY_HOST=0.0.0.0 \
    AUDIT_HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY policies ./policies
# The console's Policy tests page runs these against the active bundle (PDP_CONSOLE_TESTS).
COPY opa-tests ./opa-tests
COPY deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# Everything the services write lives under /app/.data (embedded database, audit spools, last good
# bundle, default API-key files), so the root filesystem can be mounted read-only with a volume here.
# /srv/bundles is where a one-shot `bundle build` writes for a bundle server (docker-compose).
RUN mkdir -p /app/.data /srv/bundles && chown node:node /app/.data /srv/bundles
USER node
VOLUME ["/app/.data"]
EXPOSE 8181 8000 8282
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "deploy/docker/healthcheck.js"]
ENTRYPOINT ["node", "bin/mcp-authz.js"]
CMD ["serve", "all"]
