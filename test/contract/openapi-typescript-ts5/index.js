// Re-exports openapi-typescript as installed beside this file, where it resolves the
// TypeScript 5.9 installed next to it; `ts` is that TypeScript 5 compiler API, for tools
// that need a JS API (the project's own TypeScript 7 has none).
export * from 'openapi-typescript'
export { default } from 'openapi-typescript'
export { default as ts } from 'typescript'
