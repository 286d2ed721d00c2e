# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: download modules from go.mod first (add go.sum here once you have
# dependencies), so this layer stays cached until they change.
FROM {{ build_image }} AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY main.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server .

# Runtime stage: Debian slim rather than distroless, so the image keeps a shell for debugging;
# the binary's own `healthcheck` subcommand is the probe, so no curl is needed.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PORT={{ port }}
WORKDIR /app
COPY --from=build /out/server /app/server
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
