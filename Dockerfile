# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, run in a small Debian image.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin chronix \
 && strip target/release/chronix

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/chronix --create-home chronix
COPY --from=build /src/target/release/chronix /usr/local/bin/chronix
COPY assets /usr/share/chronix/assets
WORKDIR /usr/share/chronix
USER chronix
ENV DATA_DIR=/var/lib/chronix \
    HEALTH_BIND=0.0.0.0:9090 \
    LOG_FORMAT=json
VOLUME ["/var/lib/chronix"]
EXPOSE 9090 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["chronix", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "chronix"]
CMD ["run"]
