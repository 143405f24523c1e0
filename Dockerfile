# PetAmigos node image, on the official Bun image.
#   build:   dependencies (with dev tools) + the web client bundle
#   runtime: ffmpeg, fonts, production dependencies, the server sources, migrations and the built client
# Bun runs TypeScript directly, so the server is not compiled.

ARG BUN_VERSION=1.4.5

FROM oven/bun:${BUN_VERSION} AS build
WORKDIR /app
COPY package.json package-lock.json bunfig.toml ./
# Bun reads package-lock.json (it migrates it) and installs the same versions.
RUN bun install
COPY . .
RUN bun --bun node_modules/.bin/vite build --config client/vite.config.ts

FROM oven/bun:${BUN_VERSION} AS deps
WORKDIR /app
COPY package.json package-lock.json bunfig.toml ./
RUN bun install --production

FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
# ffmpeg and ffprobe for the media jobs (video ladders, voice notes), and the Noto fonts the PDF
# receipts are set in (every script of the 20 languages), from Debian's packages.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-noto-core fonts-noto-cjk \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_FORMAT=json \
    CLIENT_DIR=/app/client/dist \
    DATA_DIR=/data
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
