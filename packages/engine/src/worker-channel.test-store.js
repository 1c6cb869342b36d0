// A store module for worker-channel.test.ts: keeps a list, echoes, and fails on request.
import { threadId } from 'node:worker_threads';

export function open({ failOpen, start = [] }) {
  if (failOpen) throw new Error('cannot open the test store');
  const items = [...start];
  return {
    push: ({ item }) => items.push(item),
    list: () => items,
    thread: () => threadId,
    fail: ({ message }) => {
      throw new Error(message);
    },
  };
}
