# syntax=docker/dockerfile:1
# {{ name }}: the container image, built once and promoted unchanged from staging to production.
# Serves factors II (dependencies), III (config: none baked in), V (build, release, run),
# VII (port binding) and IX (disposability: exec-form CMD receives SIGTERM directly).

# Build stage: the full Ruby image has the compilers native gems need. Gems come from
# Gemfile.lock only, so this layer stays cached until the Gemfile or its lock change.
FROM {{ build_image }} AS deps
ENV BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle \
    BUNDLE_WITHOUT=development:test
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install --jobs 4

# Runtime stage: slim Ruby with the compiled gems; no compilers, no config, no secrets.
FROM {{ runtime_image }}
LABEL org.opencontainers.image.title="{{ name }}" \
      org.opencontainers.image.description={{ description_label }}
ENV BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle \
    BUNDLE_WITHOUT=development:test \
    RACK_ENV=production \
    PORT={{ port }}
WORKDIR /app
COPY --from=deps /usr/local/bundle /usr/local/bundle
COPY Gemfile Gemfile.lock config.ru app.rb ./
COPY config ./config
USER {{ image_uid }}:{{ image_uid }}
EXPOSE {{ port }}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD {{ healthcheck_exec }}
CMD {{ web_exec }}
