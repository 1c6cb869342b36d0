// Counter names made of a fixed prefix and a value from the data (`algorithm.bcrypt`,
// `no-password.social`…), for plugins that count per record.

/**
 * `name => prefix + name`, each name built once: a fresh concatenation per record would be
 * flattened and hashed again by every counter update (measured: it made the counting a visible
 * share of a per-record loop). Meant for the few distinct values a counter takes.
 */
export function metricNames(prefix: string): (name: string) => string {
  const built = new Map<string, string>();
  return (name) => {
    let metric = built.get(name);
    if (metric === undefined) {
      metric = prefix + name;
      built.set(name, metric);
    }
    return metric;
  };
}
