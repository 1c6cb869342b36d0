import { describe, expect, it } from 'vitest';
import { WorkerChannel } from './worker-channel.js';

const store = new URL('./worker-channel.test-store.js', import.meta.url);

describe('WorkerChannel', () => {
  it('answers in request order, tickets taken in any order, two stores sharing one thread', () => {
    const a = new WorkerChannel(store, { start: ['a0'] });
    const b = new WorkerChannel(store, { start: ['b0'] });
    const first = a.request('push', { item: 'a1' });
    const second = a.request('push', { item: 'a2' });
    b.request('push', { item: 'b1' });
    // A call sees every request made before it, without taking their replies.
    expect(a.call('list')).toEqual(['a0', 'a1', 'a2']);
    expect(a.take(second)).toBe(3);
    expect(a.take(first)).toBe(2);
    expect(b.call('list')).toEqual(['b0', 'b1']);
    a.close();
    // The thread stays for the channel still open.
    expect(b.call('push', { item: 'b2' })).toBe(3);
    b.close();
    expect(() => b.call('list')).toThrow(/closed/);
  });

  it('runs a dedicated store in a thread of its own, and ends that thread with the channel', () => {
    const shared = new WorkerChannel(store);
    const alsoShared = new WorkerChannel(store);
    const dedicated = new WorkerChannel(store, {}, 4, { dedicated: true });
    const sharedThread = shared.call<number>('thread');
    expect(alsoShared.call<number>('thread')).toBe(sharedThread);
    const ownThread = dedicated.call<number>('thread');
    expect(ownThread).not.toBe(sharedThread);
    expect(ownThread).not.toBe(0);
    dedicated.close();
    expect(shared.call<number>('thread')).toBe(sharedThread);
    shared.close();
    alsoShared.close();
  });

  it('sends run in order without waiting, at most maxSendsInFlight unanswered; the next call throws a failed one', () => {
    const channel = new WorkerChannel(store, {}, 1);
    channel.send('push', { item: 1 });
    channel.send('push', { item: 2 });
    expect(channel.call('list')).toEqual([1, 2]);
    channel.send('fail', { message: 'disk full' });
    expect(() => channel.call('list')).toThrow('disk full');
    // Past the bound, send itself waits for the oldest, and so reports its failure.
    channel.send('fail', { message: 'first' });
    expect(() => channel.send('push', { item: 3 })).toThrow('first');
    expect(channel.call('list')).toEqual([1, 2, 3]);
    channel.close();
  });

  it('throws what the store throws, and a store that cannot open on every call', () => {
    const channel = new WorkerChannel(store);
    expect(() => channel.call('fail', { message: 'disk full' })).toThrow('disk full');
    expect(() => channel.call('nope')).toThrow(/unknown operation nope/);
    expect(channel.call('list')).toEqual([]);
    channel.close();
    const broken = new WorkerChannel(store, { failOpen: true });
    expect(() => broken.call('list')).toThrow(/could not start: cannot open the test store/);
    expect(() => broken.call('list')).toThrow(/could not start/);
    broken.close();
  });
});
