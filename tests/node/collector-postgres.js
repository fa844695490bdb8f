// Test helper (not a test file): a throwaway PostgreSQL 15 cluster in a temporary folder, from Debian's
// postgresql-15 (scripts/bootstrap.sh). initdb refuses to run as root, so as root the cluster belongs to the
// `postgres` user the Debian package creates (else `nobody`) and its commands run through runuser.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether the server binaries are installed (tests skip the server backend otherwise, saying why). */
export const postgresAvailable = () => existsSync(path.join(BIN, 'initdb')) && existsSync(path.join(BIN, 'pg_ctl'));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function userFor() {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
      return { name, uid, gid };
    } catch {
      // try the next
    }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists for initdb');
}

/**
 * Starts a cluster: `{ url, stop() }`. `url` is a postgres:// connection string for the `postgres` superuser
 * (trust authentication, 127.0.0.1 on a free port, the unix socket inside the folder). stop() stops the server
 * and deletes the folder.
 */
export async function startPostgres() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'convene-pg-'));
  const data = path.join(dir, 'data');
  const user = userFor();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd, args) => {
    const full = path.join(BIN, cmd);
    const [file, argv] = user ? ['runuser', ['-u', user.name, '--', full, ...args]] : [full, args];
    return execFileSync(file, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`,
      'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${err.stderr?.toString() ?? err.message}`);
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
