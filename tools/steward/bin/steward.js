#!/usr/bin/env node
// The steward: materializes the organizer's event series on Arkiv (tools/steward/README.md, docs/steward.md).
import { main } from '../src/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
