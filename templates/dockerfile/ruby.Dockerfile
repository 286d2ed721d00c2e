# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: the full Ruby image has the compilers native gems need. Gems come from
# Gemfile.lock only (frozen: a lock that does not match the Gemfile fails the build), so this
# layer stays cached until the Gemfile or its lock change; downloaded gems persist in a cache.
FROM {{ build_image }} AS deps
ENV BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle \
    BUNDLE_WITHOUT=development:test \
    BUNDLE_GLOBAL_GEM_CACHE=1 \
    BUNDLE_USER_CACHE=/var/cache/bundle
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/var/cache/bundle bundle install --jobs 4

# Runtime stage: slim Ruby with the compiled gems; no compilers, no config, no secrets.
# HOME is /tmp: Bundler and gems write there, and the image's user has no home directory
# (Kubernetes mounts a writable /tmp under its read-only root filesystem).
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle \
    BUNDLE_WITHOUT=development:test \
    RACK_ENV=production \
    HOME=/tmp \
    PORT={{ port }}
{%- if postgres %}
# The pg gem links libpq, PostgreSQL's client library, which the slim image lacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5=15.* \
    && rm -rf /var/lib/apt/lists/*
{%- endif %}
WORKDIR /app
COPY --from=deps /usr/local/bundle /usr/local/bundle
# The whole source tree: .dockerignore decides what stays out, so new files and folders ship.
COPY . .
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
