export type * from './record.js';
export default [];
