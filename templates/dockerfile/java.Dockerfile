# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: resolve plugins and dependencies from pom.xml first, so that layer stays cached
# until pom.xml changes; then build the jar.
FROM {{ build_image }} AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE only, no build tools, no config, no secrets.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PORT={{ port }} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
WORKDIR /app
COPY --from=build /src/target/app.jar /app/app.jar
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
