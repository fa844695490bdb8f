// The steward (tools/steward/bin/steward.js) run as cron runs it, for the node:test and Chromium suites:
// a child process of this Node, configured by its environment only (nothing of the parent's CONVENE_*
// leaks in; an `undefined` value removes a variable).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'tools/steward/bin/steward.js');

/**
 * @param {string[]} args command-line arguments
 * @param {Record<string, string | undefined>} env CONVENE_* configuration of this run
 * @returns {Promise<{ code: number, stdout: string, stderr: string, json: object | null, ms: number }>}
 *   `json`: stdout parsed when `--json` was given and it parses; `ms`: wall time of the run
 */
export function runStewardProcess(args, env) {
  const childEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONVENE_'))), ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      let json = null;
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout);
        } catch {
          // left null: the caller's assertion shows stdout
        }
      }
      resolve({ code, stdout, stderr, json, ms: Date.now() - started });
    });
  });
}
