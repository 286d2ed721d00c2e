# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: compile the dependencies against a stub main first, so that layer stays cached
# until Cargo.toml or Cargo.lock change; then build the real sources.
FROM {{ build_image }} AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release --locked && rm -rf src
COPY src ./src
RUN touch src/main.rs && cargo build --release --locked

# Runtime stage: Debian slim keeps glibc for the binary; its own `healthcheck` subcommand is
# the probe, so no curl is needed.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PORT={{ port }}
WORKDIR /app
COPY --from=build /src/target/release/{{ name }} /app/{{ name }}
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
