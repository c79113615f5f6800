# The runner as an image: Debian's FFmpeg, Node 20 and the compiled entry dist/cli.js, nothing else.
# spec/e2e/dockerfile.test.ts reads this file and replays its steps without Docker (see CONTRIBUTING.md).
#
#   docker build -t watch-folder-runner .
#   docker run --rm --hostname watch-folder-runner -v /srv/watch:/data/watch watch-folder-runner

# Build stage: the devDependencies (tsx, esbuild) exist only here.
FROM node:20-bookworm-slim AS build
WORKDIR /src
# The manifests first: a change to the sources alone reuses the installed node_modules layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY src/ src/
RUN npm run build

# Runtime stage: what `npm install -g` of the packed tarball holds (package.json, dist/cli.js, schema/),
# which needs no node_modules at all (esbuild bundled every runtime dependency).
FROM node:20-bookworm-slim
# tini as PID 1: Node does not reap orphaned children, and as PID 1 it would get no default signal
# handling; tini forwards docker stop's SIGTERM to the runner, which stops FFmpeg and files the job.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# package.json beside dist/ says "type": "module", so Node loads the bundle as ESM without guessing.
COPY package.json ./
COPY --from=build /src/dist/cli.js dist/cli.js
COPY schema/ schema/
# The image's own non-root user (uid 1000): the watch folder must be writable by it (or pass --user).
USER node
# No folder is made under /data: the runner never creates its watch folder, so a forgotten mount exits 2
# with the reason instead of watching an empty anonymous volume.
VOLUME /data
# Node directly on the compiled entry: no npm, npx or tsx in between to swallow SIGTERM.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli.js"]
CMD ["/data/watch"]
