# syntax=docker/dockerfile:1
# {{ name }}: container image.
# Serves factors II (dependencies), V (build, release, run), VII (port binding) and IX (disposability).

# Build stage: install dependencies from the lock file only, so this layer is cached.
FROM node:{{ runtime_version }}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# Runtime stage: no build tools, no config, no secrets; configuration comes from the environment.
FROM node:{{ runtime_version }}-bookworm-slim
ENV NODE_ENV=production \
    PORT={{ port }}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
USER 10001:10001
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '{{ health_path }}').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"]
CMD ["node", "src/server.js"]
