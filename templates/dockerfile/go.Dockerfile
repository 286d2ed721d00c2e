# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: the modules go.mod pins are downloaded, checked against go.sum (which exists
# once there are dependencies), before the sources are copied, and the module and build caches
# persist between builds.
FROM {{ build_image }} AS build
WORKDIR /src
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# The whole source tree: .dockerignore decides what stays out, so new files and packages build.
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server .

# Runtime stage: Debian slim rather than distroless, so the image keeps a shell for debugging;
# the binary's own `healthcheck` subcommand is the probe, so no curl is needed. Slim has no CA
# bundle: the build stage's lets TLS (rediss://, HTTPS) verify servers.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PORT={{ port }} \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /app
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/server /app/server
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
