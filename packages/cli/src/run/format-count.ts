// The engine formats counts in its messages; the CLI's summary and progress use the same function.
export { formatCount } from '@idflow/engine';
