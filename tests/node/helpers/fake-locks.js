// An in-process stand-in for navigator.locks (Web Locks API), enough for `ifAvailable` requests.
export function fakeLocks() {
  const held = new Set();
  return {
    async request(name, options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    },
  };
}
