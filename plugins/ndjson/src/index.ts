// The built-in `ndjson` plugins: a source and a sink of the same name (the registry keys by kind).
import { ndjsonSink } from './ndjson-sink.js';
import { ndjsonSource } from './ndjson-source.js';

export { ndjsonSink, type NdjsonSinkConfig, type NdjsonSinkState } from './ndjson-sink.js';
export { ndjsonSource, type NdjsonSourceConfig } from './ndjson-source.js';

export default [ndjsonSource, ndjsonSink];
