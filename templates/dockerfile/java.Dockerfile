# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: resolve plugins and dependencies from pom.xml first, so that layer stays cached
# until pom.xml changes, with Maven's repository as a cache mount that persists between builds;
# then the whole source tree (.dockerignore decides what stays out) builds the jar.
FROM {{ build_image }} AS build
WORKDIR /src
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

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
# The probe is a plain HTTP request from bash, not `java -jar app.jar healthcheck`: a second
# JVM every 30 s would need its own heap inside the container's memory limit.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET {{ health_path }} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]
CMD {{ web_exec }}
