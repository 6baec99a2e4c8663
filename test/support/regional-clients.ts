import type { AttachableClient } from '../../src/local/aws/attach-fake.js';

/**
 * One client per region, made on first use and handed to `decorate` once (as the runtime's
 * wiring does): the regional client source an adapter such as EksClusters takes.
 */
export function regionalClients<T extends AttachableClient>(make: (region: string) => T, decorate: (client: T) => void): (region: string) => T {
  const made = new Map<string, T>();
  return (region) => {
    let client = made.get(region);
    if (!client) {
      client = make(region);
      decorate(client);
      made.set(region, client);
    }
    return client;
  };
}
