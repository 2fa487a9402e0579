# The API image: production dependencies only; TypeScript runs through tsx.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf test
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY openapi ./openapi
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/server.ts"]
