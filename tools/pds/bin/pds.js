#!/usr/bin/env node
// The local ATProto PDS (tools/pds/README.md):
//   node tools/pds/bin/pds.js [--port 2583] [--accounts alice,bob] [--password convene-dev]
// Prints "pds listening on <url>", then one line per account: "pds account <handle> <did> <password>".
// SIGINT / SIGTERM stop it and remove its data (the PLC directory is in memory; every start is a new network).
import { parseArgs } from 'node:util';
import { startPds } from '../src/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PDS_PORT ?? '2583' },
    accounts: { type: 'string', default: process.env.PDS_ACCOUNTS ?? 'alice,bob' },
    password: { type: 'string', default: process.env.PDS_PASSWORD ?? 'convene-dev' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: pds.js [--port P] [--accounts a,b] [--password PW]   (PDS_PORT, PDS_ACCOUNTS, PDS_PASSWORD)');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`pds: --port must be 0..65535, got "${values.port}"`);
  process.exit(2);
}
const names = values.accounts.split(',').map((s) => s.trim()).filter(Boolean);
let pds;
try {
  pds = await startPds({ port, accounts: names, password: values.password });
} catch (err) {
  console.error(`pds: ${err.message}`);
  process.exit(1);
}
console.log(`pds listening on ${pds.url}`);
for (const a of pds.accounts) console.log(`pds account ${a.handle} ${a.did} ${a.password}`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pds.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
