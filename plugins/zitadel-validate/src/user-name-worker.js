// The userName registry's on-disk store (UserNameDiskStore: SQLite runs) in the engine's worker
// thread (WorkerChannel), so
// writing and merging the runs of names overlaps the pipeline's work on the main thread. The
// registry only waits for it to answer a lookup, which its Bloom filter makes rare.
//
// Plain JavaScript, so the same file runs from `src` (unit tests) and `dist`; the store itself is
// loaded from this package's build (its `./user-name-disk-store` export), so tests need a build.

import { UserNameDiskStore } from '@idflow/plugin-zitadel-validate/user-name-disk-store';

/**
 * Opens the store in `directory` (made by the registry, so it never waits for this thread to
 * start); answers the request handlers (run by the engine's WorkerChannel thread).
 */
export function open({ directory }) {
  const store = new UserNameDiskStore(directory);
  return {
    /** Parallel arrays of lowercased names and their owners; answers the names stored. */
    addBatch({ names, owners }) {
      const batch = new Map();
      for (let i = 0; i < names.length; i++) batch.set(names[i], owners[i]);
      store.addBatch(batch);
      return store.size;
    },
    ownerOf: ({ name }) => store.ownerOf(name) ?? null,
    close() {
      store.close();
      return null;
    },
  };
}
