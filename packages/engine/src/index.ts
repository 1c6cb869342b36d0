export * from './plugin.js';
export * from './errors.js';
export * from './pipeline.js';
