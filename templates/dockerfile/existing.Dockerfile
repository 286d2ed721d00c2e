# syntax=docker/dockerfile:1
# {{ name }}: the container image of your {{ stack_label }} service ({{ existing.preset }}), built once
# and promoted unchanged from staging to production.
# Serves factors II (dependencies from the lock file), III (config: none baked in), V (build,
# release, run), VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM).

# Build stage: dependencies first, from {{ existing.dependency_files | join(sep=" and ") }} only, so this layer
# stays cached until they change; the download cache is a BuildKit cache mount, never a layer.
FROM {{ build_image }} AS build
{%- if existing.env %}
ENV {% for e in existing.env %}{{ e }}{% if not loop.last %} \
    {% endif %}{% endfor %}
{%- endif %}
WORKDIR /app
{%- for f in existing.dependency_files %}
COPY {{ f }} ./{{ f }}
{%- endfor %}
RUN --mount=type=cache,target={{ existing.cache }} \
    {{ existing.install }}
{%- for c in existing.copies %}
COPY {{ c }}
{%- endfor %}
{%- if existing.build_command %}
RUN {{ existing.build_command }}
{%- endif %}

# Runtime stage: the built project without build tools, config or secrets; configuration comes
# from the environment. It copies the whole build folder: trim it to what the start commands
# run once you know (a single binary or jar is enough for compiled stacks).
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV {% for e in existing.env %}{{ e }} \
    {% endfor %}{% for e in existing.runtime_env %}{{ e }} \
    {% endfor %}PORT={{ port }}
WORKDIR /app
COPY --from=build /app /app
{%- if existing.env_from_files %}
# The app reads plain variables: this sets each credential from its secret file, then runs the
# start command in its place. Owned by root, so the app cannot change it.
COPY --chmod=0755 scripts/env-from-files.sh {{ existing.env_from_files_path }}
{%- endif %}
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
{%- if health_path %}
# Asks {{ health_path }} over HTTP with bash's /dev/tcp (no curl in the image).
{%- else %}
# No health path: only checks that the port accepts connections (a hung process passes).
{%- endif %}
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
