# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: install dependencies from the lock file only, so this layer stays cached until
# package.json or package-lock.json change; npm's download cache persists between builds.
FROM {{ build_image }} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules

# Runtime stage: no build tools, no config, no secrets; configuration comes from the environment.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV NODE_ENV=production \
    PORT={{ port }}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The whole source tree: .dockerignore decides what stays out, so new files and folders ship.
COPY . .
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
