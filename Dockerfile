# PetAmigos node image, on the official Bun image.
#   build:   dependencies (with dev tools) + the web client bundle
#   sfu:     the SFU's media worker (mediasoup 3.12.16): its prebuilt binary where that downloads
#            and runs, else built from the npm package's sources against Debian's libraries
#            (scripts/sfu-worker.mjs, as `npm start` does); the image build fails without one
#   runtime: ffmpeg, fonts, the worker's libraries, production dependencies, the worker, the server
#            sources, migrations and the built client
# Bun runs TypeScript directly, so the server is not compiled. Any MEDIASOUP_WORKER_BIN makes
# mediasoup's own postinstall a no-op where it runs: the sfu stage gets the worker instead.

ARG BUN_VERSION=1.4.5

FROM oven/bun:${BUN_VERSION} AS build
WORKDIR /app
COPY package.json package-lock.json bunfig.toml ./
# Bun reads package-lock.json (it migrates it) and installs the same versions.
RUN MEDIASOUP_WORKER_BIN=scripts/sfu-worker.mjs bun install
COPY . .
RUN bun --bun node_modules/.bin/vite build --config client/vite.config.ts

FROM oven/bun:${BUN_VERSION} AS deps
WORKDIR /app
COPY package.json package-lock.json bunfig.toml ./
RUN MEDIASOUP_WORKER_BIN=scripts/sfu-worker.mjs bun install --production

FROM oven/bun:${BUN_VERSION} AS sfu
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates python3 g++ meson ninja-build pkg-config \
     libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev libabsl-dev nlohmann-json3-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY scripts/sfu-worker.mjs ./scripts/
RUN PETAMIGOS_CACHE_DIR=/opt/petamigos bun scripts/sfu-worker.mjs --require

FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
# ffmpeg and ffprobe for the media jobs (video ladders, voice notes), the Noto fonts the PDF
# receipts are set in (every script of the 20 languages), and the libraries a worker built here
# links (Debian bookworm's names), from Debian's packages.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-noto-core fonts-noto-cjk \
     libuv1 libssl3 libsrtp2-1 libusrsctp2 libabsl20220623 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_FORMAT=json \
    CLIENT_DIR=/app/client/dist \
    DATA_DIR=/data \
    PETAMIGOS_CACHE_DIR=/opt/petamigos
COPY --from=sfu /opt/petamigos /opt/petamigos
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bunfig.toml tsconfig.json ./
COPY server ./server
COPY actors ./actors
COPY media ./media
COPY sfu ./sfu
COPY protocol ./protocol
COPY migrations ./migrations
COPY --from=build /app/client/dist ./client/dist
RUN mkdir -p /data && chown bun:bun /data
USER bun
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "const r = await fetch(`http://127.0.0.1:${process.env.PORT}/health`); process.exit(r.ok ? 0 : 1)"]
# SIGTERM from `docker stop` reaches Bun directly (exec form), which stops the node cleanly.
CMD ["bun", "server/main.ts"]
