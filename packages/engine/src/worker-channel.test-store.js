// A store module for worker-channel.test.ts: keeps a list, echoes, and fails on request.
export function open({ failOpen, start = [] }) {
  if (failOpen) throw new Error('cannot open the test store');
  const items = [...start];
  return {
    push: ({ item }) => items.push(item),
    list: () => items,
    fail: ({ message }) => {
      throw new Error(message);
    },
  };
}
