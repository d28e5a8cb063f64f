# A small image: build with the full toolchain, run on a slim Debian as a
# non-root user, the SQLite database on a volume.
#   docker build -t hotline .
#   docker run -d --name hotline -e TELOXIDE_TOKEN=... \
#     -v hotline-data:/data -v $PWD/my-hotline.toml:/etc/hotline/hotline.toml:ro hotline
# `docker kill -s HUP hotline` reloads the settings; `docker stop` sends SIGTERM,
# which stops gracefully.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The bot alone (-p hotline): the stand-ins and the lab are not in it.
RUN cargo build --release --locked -p hotline

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data hotline \
    && install -d -o hotline -g hotline /data /etc/hotline
COPY --from=build /src/target/release/hotline /usr/local/bin/hotline
USER hotline
WORKDIR /data
VOLUME ["/data"]
ENV HOTLINE_CONFIG=/etc/hotline/hotline.toml \
    HOTLINE__DATABASE__URL=sqlite:///data/hotline.db
STOPSIGNAL SIGTERM
# The bot's own heartbeat (stopped, Telegram unreachable, engine stuck):
# `hotline health` reads it from the database; no curl needed.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["hotline", "health"]
CMD ["hotline", "run"]
