# The API image: production dependencies only; the server runs compiled (scripts/build.mjs, with
# the esbuild that tsx brings), the command-line tools through tsx.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own prepare step (the build) needs the sources, copied below.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && rm -rf test
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY openapi ./openapi
COPY scripts/build.mjs scripts/start.mjs ./scripts/
# dist/server.js and dist/migrations; no embedded template: the image runs on Postgres
# (DATABASE_URL), and without it initdb runs once on the first start.
RUN node scripts/build.mjs --no-template
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
