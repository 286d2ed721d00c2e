# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Needs BuildKit (the default builder since Docker Engine 23.0) for the cache mounts.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: the full Python image, which has the compilers and headers packages without a
# wheel need. A virtual environment from the pinned requirements only, so this layer stays
# cached until requirements.txt changes; pip's download cache persists between builds.
FROM {{ build_image }} AS deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    /opt/venv/bin/pip install -r requirements.txt

# Runtime stage: slim Python of the same version with the built venv; no compilers, no config,
# no secrets. A package that links a system library at run time needs it installed here too.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT={{ port }}
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
# The whole source tree: .dockerignore decides what stays out, so new modules and packages ship.
COPY . .
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
