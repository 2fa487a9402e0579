// Types of the re-exports in index.js.
export * from 'openapi-typescript'
export { default } from 'openapi-typescript'
export { default as ts } from 'typescript'
