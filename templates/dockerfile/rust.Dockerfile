# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: the whole source tree (.dockerignore decides what stays out, so new modules,
# build scripts and assets build too). The registry and target directories are cache mounts,
# so a rebuild compiles only what changed; the binary is copied out of the cache in the same step.
FROM {{ build_image }} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && mkdir -p /out && cp target/release/{{ name }} /out/{{ name }}

# Runtime stage: Debian slim keeps glibc for the binary; its own `healthcheck` subcommand is
# the probe, so no curl is needed. Slim has no CA bundle: the build stage's lets TLS
# (rediss://, HTTPS) verify servers.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PORT={{ port }} \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /app
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/{{ name }} /app/{{ name }}
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
