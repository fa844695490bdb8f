// The local ATProto PDS for development and tests (tools/pds/README.md): the reference PDS from npm
// (@atproto/dev-env's TestNetworkNoAppView: a PLC directory in memory and @atproto/pds on SQLite, no
// Postgres, Redis or AppView), with accounts created on start. Its data lives in a temporary folder
// that close() removes: the PLC directory is in memory, so a restart starts a new network anyway.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import { AtpAgent } from '@atproto/api';

/**
 * An account on the local PDS.
 * @typedef {{ handle: string, did: string, password: string, email: string }} PdsAccount
 */

/**
 * Starts a PDS and a PLC directory and creates `accounts` (handles under `.test`).
 * @param {object} [options]
 * @param {number} [options.port=0] the PDS's HTTP port (0: a free one).
 * @param {string[]} [options.accounts=[]] handle names without the domain (`alice` -> `alice.test`).
 * @param {string} [options.password='convene-dev'] the password of every account created (an app
 *   password in the app's terms: the development flow logs in with handle + password).
 * @returns {Promise<{ url: string, accounts: PdsAccount[], agent: (account?: PdsAccount) => Promise<AtpAgent>, close: () => Promise<void> }>}
 *   `url` is the PDS's base URL (http://localhost:<port>); `agent(account)` is an AtpAgent logged in as it
 *   (none: not logged in).
 * @throws Error when a handle is not a valid name (lowercase letters, digits, hyphens; 3 to 18 characters).
 */
export async function startPds({ port = 0, accounts = [], password = 'convene-dev' } = {}) {
  for (const name of accounts) {
    if (!/^[a-z0-9][a-z0-9-]{2,17}$/.test(name)) throw new Error(`accounts: "${name}" is not a handle name (a-z, 0-9, -; 3 to 18 characters)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-pds-'));
  for (const sub of ['data', 'blobs']) fs.mkdirSync(path.join(dir, sub));
  const network = await TestNetworkNoAppView.create({
    pds: {
      ...(port ? { port } : {}),
      dataDirectory: path.join(dir, 'data'),
      blobstoreDiskLocation: path.join(dir, 'blobs'),
    },
  });
  const url = network.pds.url;
  const created = [];
  try {
    for (const name of accounts) {
      const handle = `${name}.test`;
      const email = `${name}@example.invalid`;
      const agent = new AtpAgent({ service: url });
      const res = await agent.createAccount({ handle, email, password });
      created.push({ handle, did: res.data.did, password, email });
    }
  } catch (err) {
    await network.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    accounts: created,
    async agent(account) {
      const agent = new AtpAgent({ service: url });
      if (account) await agent.login({ identifier: account.handle, password: account.password });
      return agent;
    },
    async close() {
      await network.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
