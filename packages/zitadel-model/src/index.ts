export * from './import-data.js';
export * from './user-v2.js';
