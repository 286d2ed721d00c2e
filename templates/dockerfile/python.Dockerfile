# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: a virtual environment from the pinned requirements only, so this layer stays
# cached until requirements.txt changes.
FROM {{ build_image }} AS deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements.txt ./
RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# Runtime stage: no build tools, no config, no secrets; configuration comes from the environment.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT={{ port }}
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
COPY app ./app
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
